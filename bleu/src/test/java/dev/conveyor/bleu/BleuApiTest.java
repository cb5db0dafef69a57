package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options, defaults, signatures and bad input of the public API. */
class BleuApiTest {
  private static final List<String> HYPS = List.of("the cat sat on the mat", "a dog barked loudly");
  private static final List<String> REFS = List.of("the cat sat on a mat", "the dog barked loudly");

  @Test
  void unknownTokenizerAndSmoothingAreIllegalArguments() {
    IllegalArgumentException t =
        assertThrows(IllegalArgumentException.class, () -> Bleu.builder().tokenize("zh"));
    assertEquals("unknown tokenizer 'zh' (expected one of 13a, intl, char, none)", t.getMessage());
    IllegalArgumentException s =
        assertThrows(IllegalArgumentException.class, () -> Bleu.builder().smoothMethod("laplace"));
    assertEquals(
        "unknown smoothing method 'laplace' (expected one of exp, floor, add-k, none)",
        s.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Bleu.builder().smoothValue(Double.NaN));
  }

  @Test
  void lengthMismatchesAreIllegalArguments() {
    Bleu bleu = Bleu.defaults();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> bleu.corpusScore(HYPS, List.of(List.of("only one"))));
    assertEquals("hypotheses have 2 lines but references have 1", e.getMessage());
    IllegalArgumentException r =
        assertThrows(
            IllegalArgumentException.class,
            () -> bleu.corpusScore(HYPS, List.of(REFS, List.of("x"))));
    assertEquals("reference stream 2 has 1 lines but reference stream 1 has 2", r.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> bleu.corpusScore(List.of(), List.of(List.of())));
    assertThrows(IllegalArgumentException.class, () -> bleu.corpusScore(HYPS, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> bleu.corpusScore(Arrays.asList("a", null), List.of(REFS)));
  }

  @Test
  void segmentWithoutAnyReferenceIsAnIllegalArgument() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Bleu.defaults().corpusScore(HYPS, List.of(Arrays.asList("x", null))));
    assertEquals("segment 2 has no reference", e.getMessage());
  }

  @Test
  void effectiveOrderDefaultsDifferForCorpusAndSentence() {
    Bleu bleu = Bleu.defaults();
    assertTrue(bleu.corpusScore(HYPS, List.of(REFS)).signature().contains("|eff:no|"));
    assertTrue(
        bleu.sentenceScore("the cat", List.of("the cat sat")).signature().contains("|eff:yes|"));
    Bleu off = Bleu.builder().effectiveOrder(false).build();
    assertTrue(
        off.sentenceScore("the cat", List.of("the cat sat")).signature().contains("|eff:no|"));
    // Without effective order a two-token sentence has no 3-grams and scores 0, as in sacreBLEU.
    assertEquals(0.0, off.sentenceScore("the cat", List.of("the cat")).score(), 0.0);
    assertEquals(100.0, bleu.sentenceScore("the cat", List.of("the cat")).score(), 1e-9);
  }

  @Test
  void sentenceScoresEqualOneByOneSentenceScores() {
    Bleu bleu = Bleu.defaults();
    List<BleuScore> all = bleu.sentenceScores(HYPS, List.of(REFS));
    for (int i = 0; i < HYPS.size(); i++) {
      assertEquals(bleu.sentenceScore(HYPS.get(i), List.of(REFS.get(i))), all.get(i));
    }
  }

  @Test
  void signaturesFollowSacrebleusFormat() {
    assertEquals(
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        Bleu.defaults().signature(1).format());
    Bleu b = Bleu.builder().tokenize("intl").lowercase(true).smoothMethod("add-k").build();
    assertEquals(
        "nrefs:var|case:lc|eff:no|tok:intl|smooth:add-k[1.00]|version:2.6.0",
        b.signature(-1).format());
    assertEquals(
        "#:2|c:lc|e:yes|tok:intl|s:add-k[1.00]|v:2.6.0", b.sentenceSignature(2).formatShort());
    // Python formats 0.125 as 0.12 (half-even on the exact binary value) and 0.005 as 0.01.
    assertEquals(
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:floor[0.12]|version:2.6.0",
        Bleu.builder().smoothMethod("floor").smoothValue(0.125).build().signature(1).format());
    assertEquals(
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:floor[0.01]|version:2.6.0",
        Bleu.builder().smoothMethod("floor").smoothValue(0.005).build().signature(1).format());
    assertEquals(
        "nrefs:1|bs:1000|ar:10000|seed:12345|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        Bleu.defaults().signature(1).withTest(1000, 10000, "12345").format());
  }

  @Test
  void referenceSetIsReusableAcrossSystems() {
    Bleu bleu = Bleu.defaults();
    ReferenceSet refs = bleu.references(List.of(REFS));
    assertEquals(1, refs.numRefs());
    assertEquals(bleu.corpusScore(HYPS, List.of(REFS)), bleu.corpusScore(HYPS, refs));
    assertEquals(bleu.corpusScore(REFS, List.of(REFS)), bleu.corpusScore(REFS, refs));
    CorpusStats st = bleu.corpusStats(HYPS, refs);
    assertEquals(2, st.size());
    assertEquals(CorpusStats.WIDTH, st.segment(0).length);
    assertEquals(bleu.score(st), bleu.corpusScore(HYPS, refs));
  }

  @Test
  void pairedTestsValidateTheirInput() {
    Bleu bleu = Bleu.defaults();
    Map<String, List<String>> none = new LinkedHashMap<>();
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedBootstrap.run(bleu, HYPS, none, List.of(REFS), 10, 1));
    Map<String, List<String>> shorter = Map.of("s", List.of("x"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedBootstrap.run(bleu, HYPS, shorter, List.of(REFS), 10, 1));
    Map<String, List<String>> ok = Map.of("s", REFS);
    assertThrows(
        IllegalArgumentException.class,
        () -> PairedRandomization.run(bleu, HYPS, ok, List.of(REFS), 0, -1, 1));
    PairedResult r = PairedRandomization.run(bleu, HYPS, ok, List.of(REFS), 100, -1, 1);
    assertNull(r.baseline().mean());
    assertEquals(100.0, r.systems().get("s").score(), 1e-9);
    assertTrue(r.systems().get("s").pValue() > 0 && r.systems().get("s").pValue() <= 1);
  }

  @Test
  void textLinesUseUniversalNewlinesAndRejectInvalidUtf8() {
    byte[] ok = "a\r\nb\rc\n\nd".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of("a", "b", "c", "", "d"), TextLines.decode(ok, "x"));
    assertEquals(List.of("a"), TextLines.decode("a\n".getBytes(StandardCharsets.UTF_8), "x"));
    assertEquals(List.of(), TextLines.decode(new byte[0], "x"));
    byte[] bad = {'o', 'k', '\n', 'f', 'i', 'n', 'e', '\n', (byte) 0xC3, '(', '\n'};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TextLines.decode(bad, "hyp.txt"));
    assertEquals("invalid UTF-8 in hyp.txt at line 3", e.getMessage());
  }
}
