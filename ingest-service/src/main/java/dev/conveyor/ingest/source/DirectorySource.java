package dev.conveyor.ingest.source;

import dev.conveyor.ingest.pipeline.Payload;
import dev.conveyor.ingest.repository.SourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local folder: every regular, non-hidden file is one payload; once the version is committed the
 * files move to {@code processed/} inside the folder.
 */
public final class DirectorySource implements Source {
  public static final String PROCESSED = "processed";
  private final String name;
  private final Path dir;
  private final String dataset;
  private final String format;

  public DirectorySource(String name, Path dir, String dataset, String format) {
    this.name = name;
    this.dir = dir;
    this.dataset = dataset;
    this.format = format;
  }

  @Override
  public Pull fetch(SourceState state) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
    }
    List<Payload> payloads = new java.util.ArrayList<>();
    for (Path f : files) {
      payloads.add(new Payload(f.toString(), Files.readAllBytes(f), null));
    }
    String cursor =
        files.isEmpty() ? state.cursor() : files.get(files.size() - 1).getFileName().toString();
    return new Pull(payloads, cursor, null, false, () -> moveToProcessed(files));
  }

  private void moveToProcessed(List<Path> files) throws Exception {
    Path done = Files.createDirectories(dir.resolve(PROCESSED));
    for (Path f : files) {
      Files.move(f, done.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "directory";
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public String format() {
    return format;
  }
}
