package dev.conveyor.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashSet128Test {
  private static byte[] hash(int i) {
    return ContentHash.text("record " + i);
  }

  @Test
  void keepsEveryHashThroughGrowth() {
    HashSet128 set = new HashSet128(1);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(set.add(hash(i)));
    }
    assertEquals(100_000, set.size());
    for (int i = 0; i < 100_000; i++) {
      assertTrue(set.contains(hash(i)));
      assertFalse(set.add(hash(i)));
    }
    for (int i = 100_000; i < 110_000; i++) {
      assertFalse(set.contains(hash(i)));
    }
    assertEquals(100_000, set.size());
  }

  @Test
  void onlyTheFirst128BitsCount() {
    HashSet128 set = new HashSet128(4);
    byte[] a = hash(1);
    byte[] b = a.clone();
    b[31] ^= 1;
    assertTrue(set.add(a));
    assertTrue(set.contains(b));
    byte[] c = a.clone();
    c[15] ^= 1;
    assertFalse(set.contains(c));
  }

  @Test
  void theAllZeroKeyIsAnOrdinaryMember() {
    HashSet128 set = new HashSet128(4);
    byte[] zero = new byte[32];
    assertFalse(set.contains(zero));
    assertTrue(set.add(zero));
    assertFalse(set.add(zero));
    assertTrue(set.contains(zero));
    assertEquals(1, set.size());
    assertFalse(set.contains(hash(7)));
  }

  @Test
  void readsHashesPackedInOneArray() {
    HashList list = new HashList();
    for (int i = 0; i < HashList.CHUNK + 3; i++) {
      list.add(hash(i));
    }
    assertEquals(HashList.CHUNK + 3, list.size());
    assertEquals(2, list.chunks().size());
    assertEquals(HashList.CHUNK * 32, list.chunks().get(0).length);
    assertEquals(3 * 32, list.chunks().get(1).length);
    assertTrue(
        Arrays.equals(hash(HashList.CHUNK + 1), Arrays.copyOfRange(list.chunks().get(1), 32, 64)));
    HashSet128 set = new HashSet128(0);
    list.addTo(set);
    assertEquals(HashList.CHUNK + 3, set.size());
    assertTrue(set.contains(hash(HashList.CHUNK + 2)));
    assertFalse(set.contains("x".repeat(32).getBytes(StandardCharsets.US_ASCII)));
  }
}
