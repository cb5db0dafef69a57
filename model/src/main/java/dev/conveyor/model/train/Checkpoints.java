package dev.conveyor.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checkpoint directory layout: {@code step-NNNNNNNN/} folders holding {@code state.json}, {@code
 * weights.safetensors}, {@code optimizer.safetensors} and {@code tokenizer.json}, plus a {@code
 * latest} file naming the newest complete one.
 *
 * <p>A checkpoint is written into a {@code .tmp} folder that is renamed atomically, and {@code
 * latest} is replaced atomically afterwards, so a process killed at any point leaves the previous
 * checkpoint intact. The two newest checkpoints are kept.
 */
public final class Checkpoints {

  static final String STATE = "state.json";
  static final String WEIGHTS = "weights.safetensors";
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String TOKENIZER = "tokenizer.json";
  private static final String LATEST = "latest";
  private static final int KEEP = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Checkpoints() {}

  /** Writer of the checkpoint's files into a (temporary) folder. */
  interface Writer {
    void write(Path folder) throws IOException;
  }

  /** Writes checkpoint {@code step} under {@code root} and returns its folder. */
  static Path write(Path root, long step, Writer writer) throws IOException {
    Files.createDirectories(root);
    String name = String.format("step-%08d", step);
    Path tmp = root.resolve(name + ".tmp");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    writer.write(tmp);
    Path dir = root.resolve(name);
    deleteRecursively(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    Path latestTmp = root.resolve(LATEST + ".tmp");
    Files.writeString(latestTmp, name);
    Files.move(
        latestTmp,
        root.resolve(LATEST),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    prune(root, dir);
    return dir;
  }

  /** The newest complete checkpoint folder under {@code root}. */
  public static Path latest(Path root) throws IOException {
    Path pointer = root.resolve(LATEST);
    if (!Files.isRegularFile(pointer)) {
      throw new IOException("no checkpoint in " + root + " (missing '" + LATEST + "')");
    }
    Path dir = root.resolve(Files.readString(pointer).trim());
    if (!Files.isRegularFile(dir.resolve(STATE))) {
      throw new IOException("checkpoint " + dir + " is incomplete (no " + STATE + ")");
    }
    return dir;
  }

  static void writeState(Path folder, CheckpointState state) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(STATE).toFile(), state);
  }

  static CheckpointState readState(Path folder) throws IOException {
    return JSON.readValue(folder.resolve(STATE).toFile(), CheckpointState.class);
  }

  private static void prune(Path root, Path keep) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("step-\\d+"))
          .sorted(Comparator.comparing(Path::toString))
          .forEach(dirs::add);
    }
    for (int i = 0; i < dirs.size() - KEEP; i++) {
      if (!dirs.get(i).equals(keep)) {
        deleteRecursively(dirs.get(i));
      }
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
