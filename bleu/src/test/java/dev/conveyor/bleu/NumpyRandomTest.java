package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PCG64/SeedSequence port against draws stored from numpy 1.24's {@code default_rng}. */
class NumpyRandomTest {
  private static final List<JsonNode> ROWS = Vectors.load("/vectors/numpy.jsonl");

  @Test
  void seedingAndRawWords() {
    int n = 0;
    for (JsonNode r : rows("state")) {
      NumpyRandom rng = new NumpyRandom(r.path("seed").asLong());
      long[] st = rng.state();
      assertEquals(new BigInteger(r.path("state").asText()), u128(st[0], st[1]), "state");
      assertEquals(new BigInteger(r.path("inc").asText()), u128(st[2], st[3]), "inc");
      for (JsonNode raw : r.path("raw")) {
        assertEquals(raw.asText(), Long.toUnsignedString(rng.nextLong()));
      }
      n++;
    }
    assertTrue(n >= 5);
  }

  @Test
  void choiceWithReplacement() {
    for (JsonNode r : rows("choice")) {
      NumpyRandom rng = new NumpyRandom(r.path("seed").asLong());
      int[] out = new int[r.path("values").size()];
      rng.fillIndices(r.path("n").asInt(), out);
      assertArrayEquals(ints(r.path("values")), out, "choice n=" + r.path("n"));
    }
  }

  @Test
  void booleanIntegers() {
    for (JsonNode r : rows("bools")) {
      NumpyRandom.BoolStream b = new NumpyRandom(r.path("seed").asLong()).bools();
      for (JsonNode v : r.path("values")) {
        assertEquals(v.asInt() == 1, b.next());
      }
    }
  }

  @Test
  void leftoverHalfWordCarriesFromBoolsToChoice() {
    for (JsonNode r : rows("bools+choice")) {
      NumpyRandom rng = new NumpyRandom(r.path("seed").asLong());
      NumpyRandom.BoolStream b = rng.bools();
      for (JsonNode v : r.path("bools")) {
        assertEquals(v.asInt() == 1, b.next());
      }
      int[] out = new int[r.path("values").size()];
      rng.fillIndices(r.path("n").asInt(), out);
      assertArrayEquals(ints(r.path("values")), out);
    }
  }

  @Test
  void negativeSeedIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new NumpyRandom(-1));
  }

  private static List<JsonNode> rows(String op) {
    List<JsonNode> l = ROWS.stream().filter(r -> r.path("op").asText().equals(op)).toList();
    assertTrue(!l.isEmpty(), "no vectors for " + op);
    return l;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static BigInteger u128(long hi, long lo) {
    return new BigInteger(Long.toUnsignedString(hi))
        .shiftLeft(64)
        .add(new BigInteger(Long.toUnsignedString(lo)));
  }
}
