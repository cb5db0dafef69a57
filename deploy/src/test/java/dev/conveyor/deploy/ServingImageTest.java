package dev.conveyor.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The serving image that Quarkus' Jib build wrote as a tarball (CI: .ci/run turns the build on with
 * CONVEYOR_IMAGE_BUILD=true, a base image assembled from Debian packages and
 * deploy/images/docker-load-to-tar): entrypoint, exposed port, non-root user, and that it holds
 * this build's application.
 */
class ServingImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path tarball() {
    String out = System.getenv("CONVEYOR_IMAGE_OUT");
    Path dir = out != null && !out.isBlank() ? Path.of(out) : Repo.path("target", "images");
    return dir.resolve("serving-service.tar");
  }

  @Test
  void servingImageRunsTheServiceAsANonRootUserOnItsPort() throws Exception {
    Path tar = tarball();
    boolean required = "true".equals(System.getenv("CONVEYOR_IMAGE_BUILD"));
    Path jar = Repo.path("serving-service", "target", "quarkus-app", "quarkus-run.jar");
    if (!required) {
      // a developer's build makes no image; an old tarball from an earlier image build says nothing
      assumeTrue(
          Files.exists(tar)
              && Files.exists(jar)
              && Files.getLastModifiedTime(tar).compareTo(Files.getLastModifiedTime(jar)) >= 0,
          tar
              + " not built with the current serving jar: the image build runs in CI (.ci/run) or with CONVEYOR_IMAGE_BUILD=true (deploy/README.md)");
    }
    assertTrue(
        Files.exists(tar), tar + ": the serving image was not written (CONVEYOR_IMAGE_BUILD=true)");

    Map<String, byte[]> files = readTar(Files.newInputStream(tar), name -> name.endsWith(".json"));
    JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
    assertTrue(
        manifest.path("RepoTags").get(0).asText().startsWith("conveyor/serving-service:"),
        "manifest.json RepoTags: " + manifest.path("RepoTags"));
    JsonNode config = JSON.readTree(files.get(manifest.path("Config").asText()));
    JsonNode c = config.path("config");

    List<String> entrypoint = new ArrayList<>();
    c.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    assertEquals("java", entrypoint.get(0), "config.Entrypoint " + entrypoint);
    assertEquals(
        List.of("-jar", "quarkus-run.jar"),
        entrypoint.subList(entrypoint.size() - 2, entrypoint.size()),
        "config.Entrypoint " + entrypoint);
    assertTrue(
        entrypoint.contains("-Dai.djl.offline=true"),
        "config.Entrypoint: DJL must never download: " + entrypoint);
    assertEquals("/home/jboss", c.path("WorkingDir").asText(), "config.WorkingDir");

    String user = c.path("User").asText();
    assertTrue(
        !user.isEmpty() && !user.equals("0") && !user.startsWith("root") && !user.startsWith("0:"),
        "config.User: '" + user + "' is root");

    int port = ServiceConfig.of("serving-service").httpPort();
    assertTrue(
        c.path("ExposedPorts").has(port + "/tcp"),
        "config.ExposedPorts " + c.path("ExposedPorts") + " lacks " + port + "/tcp");
    assertTrue(
        c.path("Env").toString().contains("DJL_CACHE_DIR=/tmp/djl"), "config.Env " + c.path("Env"));

    JsonNode layers = manifest.path("Layers");
    JsonNode diffIds = config.path("rootfs").path("diff_ids");
    assertEquals(layers.size(), diffIds.size(), "one diff_id per layer");
    String base = System.getenv("CONVEYOR_IMAGE_BASE");
    if (base != null && base.startsWith("tar://")) {
      JsonNode baseConfig = baseConfig(Path.of(base.substring("tar://".length())));
      assertEquals(
          baseConfig.path("rootfs").path("diff_ids").get(0),
          diffIds.get(0),
          "the image is not built on " + base);
    }

    // the application layers hold exactly this build's runner jar
    byte[] built = Files.readAllBytes(jar);
    List<String> layerNames = new ArrayList<>();
    layers.forEach(l -> layerNames.add(l.asText()));
    List<byte[]> found = new ArrayList<>();
    try (InputStream all = Files.newInputStream(tar)) {
      eachFile(
          all,
          (name, layer) -> {
            if (layerNames.contains(name)) {
              eachFile(
                  new GZIPInputStream(layer),
                  (inner, content) -> {
                    if (inner.equals("home/jboss/quarkus-run.jar")) {
                      found.add(content.readAllBytes());
                    }
                  });
            }
          });
    }
    assertEquals(1, found.size(), "layers holding /home/jboss/quarkus-run.jar");
    assertArrayEquals(
        built,
        found.get(0),
        "the image's quarkus-run.jar is not serving-service/target/quarkus-app/quarkus-run.jar");
  }

  private static JsonNode baseConfig(Path baseTar) throws IOException {
    Map<String, byte[]> files = readTar(Files.newInputStream(baseTar), n -> n.endsWith(".json"));
    JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
    return JSON.readTree(files.get(manifest.path("Config").asText()));
  }

  /** Reads one tar entry's content. */
  interface EntryReader {
    void read(String name, InputStream content) throws IOException;
  }

  /** The regular files of a (ustar/GNU) tar stream whose names {@code keep} accepts. */
  static Map<String, byte[]> readTar(InputStream in, java.util.function.Predicate<String> keep)
      throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (in) {
      eachFile(
          in,
          (name, content) -> {
            if (keep.test(name)) {
              files.put(name, content.readAllBytes());
            }
          });
    }
    return files;
  }

  /** Streams each regular file of a tar to {@code reader} (names without a leading "./"). */
  static void eachFile(InputStream in, EntryReader reader) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      if (longName != null) {
        name = longName;
        longName = null;
      }
      String octal = field(header, 124, 12).trim();
      long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
      char type = (char) header[156];
      long padded = (size + 511) / 512 * 512;
      if (type == 'L') {
        longName =
            new String(in.readNBytes((int) size), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\0", "");
        in.skipNBytes(padded - size);
        continue;
      }
      if (type == '0' || type == 0) {
        Bounded content = new Bounded(in, size);
        reader.read(name.startsWith("./") ? name.substring(2) : name, content);
        content.skipNBytes(content.left);
        in.skipNBytes(padded - size);
      } else {
        in.skipNBytes(padded);
      }
    }
  }

  /** The next {@code left} bytes of a stream, without closing it. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {}
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, java.nio.charset.StandardCharsets.UTF_8);
  }
}
