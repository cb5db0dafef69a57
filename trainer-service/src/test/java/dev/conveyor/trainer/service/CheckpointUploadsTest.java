package dev.conveyor.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.model.train.Checkpoints;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.trainer.repository.CheckpointRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checkpoint uploads off the training thread, against the real S3 of the local stack. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class CheckpointUploadsTest {
  @Inject ObjectStore store;
  @Inject CheckpointRepository repository;

  @Test
  void uploadsSnapshotsOnTheirOwnThreadAndS3AlwaysNamesACompleteCheckpoint() throws Exception {
    String runId = "run-uploads-" + System.nanoTime();
    Path work = Files.createTempDirectory(Path.of("target"), "uploads-");
    Path root = work.resolve("checkpoints");
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    List<Long> uploaded = Collections.synchronizedList(new ArrayList<>());
    try (CheckpointUploads uploads =
        new CheckpointUploads(
            runId,
            repository,
            work.resolve("staging"),
            step -> {
              threads.add(Thread.currentThread().getName());
              uploaded.add(step);
            })) {
      for (long step = 10; step <= 50; step += 10) {
        Path folder = checkpoint(root, step);
        uploads.submit(step, root, folder);
        // the model module keeps two folders: it prunes while the upload may still be running
        prune(root, 2);
      }
    }

    assertFalse(uploaded.isEmpty());
    assertEquals(50L, uploaded.get(uploaded.size() - 1), "the newest checkpoint is uploaded last");
    for (int i = 1; i < uploaded.size(); i++) {
      assertTrue(uploaded.get(i) > uploaded.get(i - 1), "in step order: " + uploaded);
    }
    assertTrue(threads.stream().allMatch("trainer-upload"::equals), threads.toString());

    String base = "runs/" + runId + "/checkpoints/";
    assertEquals(
        "step-00000050", new String(store.get(base + "latest"), StandardCharsets.UTF_8).trim());
    Set<String> tops =
        store.list(base).stream()
            .map(k -> k.substring(base.length()).split("/", 2)[0])
            .collect(Collectors.toSet());
    assertTrue(
        Set.of("latest", "step-00000040", "step-00000050").containsAll(tops),
        "pruned in S3 like locally: " + tops);
    try (Stream<Path> left = Files.list(work.resolve("staging"))) {
      assertEquals(0, left.count(), "staged snapshots are deleted");
    }

    // what a restarted instance sees: the newest checkpoint, byte for byte
    Path restored = work.resolve("restored");
    assertTrue(repository.restore(runId, restored));
    Path latest = Checkpoints.latest(restored);
    assertEquals("step-00000050", latest.getFileName().toString());
    assertArrayEquals(payload(50), Files.readAllBytes(latest.resolve("weights.safetensors")));
  }

  /** A checkpoint laid out as the model module writes one (folder, then the pointer). */
  private static Path checkpoint(Path root, long step) throws Exception {
    String name = String.format("step-%08d", step);
    Path dir = Files.createDirectories(root.resolve(name));
    Files.write(dir.resolve("weights.safetensors"), payload(step));
    Files.write(dir.resolve("optimizer.safetensors"), payload(step * 7));
    Files.writeString(dir.resolve("state.json"), "{\"step\":" + step + "}");
    Path tmp = root.resolve("latest.tmp");
    Files.writeString(tmp, name);
    Files.move(
        tmp,
        root.resolve("latest"),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  private static void prune(Path root, int keep) throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    for (int i = 0; i < dirs.size() - keep; i++) {
      WorkDirs.deleteQuietly(dirs.get(i));
    }
  }

  private static byte[] payload(long step) {
    byte[] b = new byte[256 * 1024];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + step);
    }
    return b;
  }
}
