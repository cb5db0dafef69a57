package dev.conveyor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.localstack.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ObjectStoreTest {
  @Inject ObjectStore store;

  @Test
  void writesReadsCopiesAndListsWithDigests() throws Exception {
    byte[] data = "hello conveyor".getBytes(StandardCharsets.UTF_8);
    StoredObject put = store.put("t/a/one.txt", data, "text/plain");
    assertEquals(Digests.of(data), put.digest());
    assertEquals(data.length, put.size());
    assertArrayEquals(data, store.getVerified("t/a/one.txt", put.digest()));
    store.copy("t/a/one.txt", "t/b/copy.txt");
    assertEquals(List.of("t/a/one.txt", "t/b/copy.txt"), store.list("t/"));
    assertEquals(Optional.of((long) data.length), store.size("t/b/copy.txt"));
    assertFalse(store.exists("t/none"));
    assertTrue(store.bucketReachable());

    Path file = Files.createTempFile("obj", ".bin");
    Files.write(file, new byte[3 * 1024 * 1024]);
    StoredObject big = store.putFile("t/big.bin", file, "application/octet-stream");
    Path back = Files.createTempDirectory("dl").resolve("big.bin");
    assertEquals(big, store.download("t/big.bin", back));
  }

  @Test
  void aCorruptObjectIsRefusedWithBothDigests() {
    store.put("t/c/x.txt", "abc".getBytes(StandardCharsets.UTF_8), "text/plain");
    var e =
        assertThrows(
            StorageException.class, () -> store.getVerified("t/c/x.txt", Digests.of(new byte[0])));
    assertTrue(
        e.getMessage().contains("is corrupt: sha256 is " + Digests.of("abc".getBytes())),
        e.getMessage());
  }

  @Test
  void urisRoundTripAndForeignOnesAreRefused() {
    assertEquals("s3://conveyor/models/qa/1/x", store.uri("models/qa/1/x"));
    assertEquals("models/qa/1/x", store.keyOf("s3://conveyor/models/qa/1/x"));
    assertThrows(IllegalArgumentException.class, () -> store.keyOf("s3://other/x"));
  }
}
