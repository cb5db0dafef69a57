package dev.conveyor.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are in the checkout (the reactor root, passed by surefire as conveyor.root). */
final class Repo {
  /** The five services: module name = application name = image name = Deployment name. */
  static final List<String> SERVICES =
      List.of(
          "ingest-service",
          "registry-service",
          "trainer-service",
          "evaluator-service",
          "serving-service");

  private Repo() {}

  static Path root() {
    String root = System.getProperty("conveyor.root");
    Path p = root != null ? Path.of(root) : Path.of("..");
    return p.toAbsolutePath().normalize();
  }

  static Path path(String first, String... more) {
    return root().resolve(Path.of(first, more));
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
