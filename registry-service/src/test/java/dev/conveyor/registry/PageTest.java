package dev.conveyor.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.ModelEvaluated;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.testing.Await;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The model page, rendered by a real (headless) Chromium. */
@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "registry"))
class PageTest extends RegistryTestBase {
  @TestHTTPResource("/")
  URL root;

  @Test
  void thePageRendersTheTimelineInHeadlessChromium() throws Exception {
    String chromium = chromium();
    Flow f = flow("qa");
    f.publish(f.dataArrived(1));
    f.publish(f.trainRequested("req-1-" + f.model, 1));
    f.progress(run(f, 1), 12).forEach(f::publish);
    f.train(run(f, 1), "req-1-" + f.model, 1);
    f.publish(f.evaluated("eval-1-" + f.model, run(f, 1), ModelEvaluated.Verdict.PASSED, 1));
    championIs(f.model, 1);
    f.publish(f.dataArrived(2));
    f.publish(f.trainRequested("req-2-" + f.model, 2));
    f.progress(run(f, 2), 12).forEach(f::publish);
    f.train(run(f, 2), "req-2-" + f.model, 2);
    f.publish(f.evaluated("eval-2-" + f.model, run(f, 2), ModelEvaluated.Verdict.PASSED, 2));
    championIs(f.model, 2);
    f.publish(f.rollbackRequested("rb-" + f.model, 2));
    championIs(f.model, 1);
    for (int v = 1; v <= 2; v++) {
      int version = v;
      Await.until(
          () -> {
            var l = lineage(f.model, version);
            return l.getList("run.lossCurve").size() == 12
                && l.get("trainRequest") != null
                && l.get("dataset") != null;
          },
          "v" + v + "'s dataset, request and loss curve");
    }

    String url = new URL(root, "ui/models/" + f.model).toString();
    String dom = run(chromium, List.of("--dump-dom", url));
    assertTrue(dom.contains("id=\"timeline\""), dom);
    assertTrue(dom.contains("id=\"champion\" data-version=\"1\""), "champion v1 shown");
    for (String kind :
        List.of("dataset", "request", "run", "version", "evaluation", "promotion", "rollback")) {
      assertTrue(dom.contains("data-kind=\"" + kind + "\""), "a " + kind + " item");
    }
    assertEquals(2, count(dom, "<polyline points=\""), "a loss curve per run");
    assertTrue(dom.contains("p-value"));
    assertTrue(dom.contains("0.0010"), "the p-value");
    assertTrue(dom.contains("61.30"), "candidate BLEU");
    // items link to their artifact and report, and the links work
    Matcher m = Pattern.compile("href=\"(/objects\\?uri=[^\"]+models[^\"]+)\"").matcher(dom);
    assertTrue(m.find(), "an artifact link");
    given().urlEncodingEnabled(false).get(m.group(1).replace("&amp;", "&")).then().statusCode(200);
    assertTrue(dom.contains("reports%2F" + f.model), "a report link");

    Path shot = Path.of("target", "registry-page.png").toAbsolutePath();
    Files.deleteIfExists(shot);
    run(chromium, List.of("--screenshot=" + shot, "--window-size=1280,1600", url));
    assertTrue(Files.size(shot) > 10_000, "a screenshot with content");

    String index = run(chromium, List.of("--dump-dom", root.toString()));
    assertTrue(index.contains("data-model=\"" + f.model + "\""), "the model on the index page");
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static String chromium() {
    for (String c :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    Assumptions.assumeTrue(false, "no Chromium installed (apt-get install -y chromium)");
    return null;
  }

  /** Runs headless Chromium with a throw-away profile and returns its standard output. */
  private static String run(String chromium, List<String> args)
      throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile-");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
    cmd.addAll(args);
    Path out = Files.createTempFile("chromium-", ".out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + cmd);
    }
    assertEquals(0, p.exitValue(), "chromium exit status for " + cmd);
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
