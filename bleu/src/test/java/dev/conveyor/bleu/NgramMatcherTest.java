package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The packed sort-and-merge counting against the plain hash-map counting it replaces. */
class NgramMatcherTest {
  @Test
  void packedCountsEqualGenericCounts() {
    Random rnd = new Random(7);
    NgramMatcher fast = new NgramMatcher();
    NgramMatcher slow = new NgramMatcher();
    slow.forceGeneric = true;
    for (int trial = 0; trial < 3000; trial++) {
      int vocab = 1 + rnd.nextInt(trial % 2 == 0 ? 5 : 200);
      int[] hyp = randomTokens(rnd, rnd.nextInt(30), vocab);
      int[][] refs = new int[1 + rnd.nextInt(4)][];
      for (int r = 0; r < refs.length; r++) {
        refs[r] = randomTokens(rnd, rnd.nextInt(30), vocab);
      }
      int[] a = new int[NgramMatcher.STATS];
      int[] b = new int[NgramMatcher.STATS];
      fast.segment(hyp, refs, vocab, a, 0);
      slow.segment(hyp, refs, vocab, b, 0);
      assertArrayEquals(b, a, "trial " + trial);
    }
  }

  @Test
  void segmentWithMoreThan65536DistinctTokensFallsBackCorrectly() {
    int n = 70_000;
    int[] hyp = IntStream.range(0, n).toArray();
    int[] ref = IntStream.range(0, n).map(i -> i % 2 == 0 ? i : n + i).toArray();
    int[] out = new int[NgramMatcher.STATS];
    new NgramMatcher().segment(hyp, new int[][] {ref}, 2 * n, out, 0);
    assertArrayEquals(new int[] {n, n, n / 2, 0, 0, 0, n, n - 1, n - 2, n - 3}, out);
  }

  @Test
  void closestReferenceLengthPrefersTheShorterOnTies() {
    assertEquals(4, NgramMatcher.closestRefLen(5, new int[][] {new int[6], new int[4]}));
    assertEquals(4, NgramMatcher.closestRefLen(5, new int[][] {new int[4], new int[6]}));
    assertEquals(9, NgramMatcher.closestRefLen(9, new int[][] {new int[1], new int[9]}));
  }

  @Test
  void scoringThroughTheLibraryIsIndependentOfVocabularyOrder() {
    Bleu bleu = Bleu.defaults();
    List<String> hyps = new ArrayList<>(List.of("a b c d e", "the cat sat", "x y"));
    List<String> refs = new ArrayList<>(List.of("a b c d f", "the cat sat down", "y x"));
    double forward = bleu.corpusScore(hyps, List.of(refs)).score();
    java.util.Collections.reverse(hyps);
    java.util.Collections.reverse(refs);
    assertEquals(forward, bleu.corpusScore(hyps, List.of(refs)).score(), 0.0);
  }

  private static int[] randomTokens(Random rnd, int len, int vocab) {
    int[] t = new int[len];
    for (int i = 0; i < len; i++) {
      t[i] = rnd.nextInt(vocab);
    }
    return t;
  }
}
