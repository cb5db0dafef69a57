package dev.conveyor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command-line tools the tests run: kubectl (kustomize inside) and docker-compose. */
final class Tools {
  private Tools() {}

  /** Output of a finished command; stderr kept apart (kustomize warnings must not break YAML). */
  record Result(int exit, String out, String err) {}

  static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("deploy-out", ".txt");
    Path err = Files.createTempFile("deploy-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * kubectl: $KUBECTL, else the copy .ci/run unpacks when the machine has none
   * (.cache/tools/kubectl/kubectl), else the one on the PATH. Its kustomize must be v5 or newer.
   */
  static String kubectl() throws IOException, InterruptedException {
    String fromEnv = System.getenv("KUBECTL");
    Path cached = Repo.path(".cache", "tools", "kubectl", "kubectl");
    String kubectl =
        fromEnv != null && !fromEnv.isBlank()
            ? fromEnv
            : Files.isExecutable(cached) ? cached.toString() : "kubectl";
    Result v;
    try {
      v = run(Repo.root(), List.of(kubectl, "version", "--client"));
    } catch (IOException e) {
      missing(
          "kubectl not found ("
              + kubectl
              + "): install it, or run .ci/run, which unpacks one into .cache/tools/kubectl");
      throw e;
    }
    Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(v.out());
    if (!m.find() || Integer.parseInt(m.group(1)) < 5) {
      missing(
          kubectl
              + " embeds no kustomize v5 (it printed: "
              + v.out().strip()
              + "); Debian's kubernetes-client 1.20 is too old for these kustomizations");
    }
    return kubectl;
  }

  /**
   * A tool the tests need is not installed: on a developer's machine the tests are skipped with
   * {@code why} (like the registry's browser test without chromium); in CI ({@code CI=true}, where
   * .ci/run installs them) they fail.
   */
  static void missing(String why) {
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(why);
    }
    org.junit.jupiter.api.Assumptions.abort(why);
  }

  /** {@code kubectl kustomize <dir>}: the rendered multi-document YAML. */
  static String kustomize(Path dir) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(kubectl(), "kustomize", dir.toString()));
    Result r = run(Repo.root(), cmd);
    if (r.exit() != 0) {
      throw new AssertionError("kubectl kustomize " + dir + " failed:\n" + r.err());
    }
    return r.out();
  }
}
