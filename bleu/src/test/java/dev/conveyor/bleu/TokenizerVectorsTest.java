package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tokenizers and Python string semantics against sacreBLEU's own output on stored text: Unicode
 * punctuation, CJK, emoji (including ones newer than Java 17's Unicode), entities, odd whitespace.
 */
class TokenizerVectorsTest {
  private static final List<JsonNode> ROWS = Vectors.load("/vectors/tokenize.jsonl");

  @Test
  void vectorsCoverTheInterestingText() {
    assertTrue(ROWS.size() > 2000);
    assertTrue(ROWS.stream().anyMatch(r -> r.path("text").asText().contains("\uD83E\uDEE0")));
    assertTrue(ROWS.stream().anyMatch(r -> r.path("text").asText().contains("東京")));
  }

  @Test
  void tokenizer13a() {
    check(Tokenizer.V13A, "13a");
  }

  @Test
  void tokenizerIntl() {
    check(Tokenizer.INTL, "intl");
  }

  @Test
  void tokenizerChar() {
    check(Tokenizer.CHAR, "char");
  }

  @Test
  void tokenizerNone() {
    check(Tokenizer.NONE, "none");
  }

  @Test
  void pythonLower() {
    for (JsonNode r : ROWS) {
      String text = r.path("text").asText();
      assertEquals(
          r.path("lower").asText(), PyStrings.lower(text), () -> "lower of " + escape(text));
    }
  }

  @Test
  void pythonRstrip() {
    for (JsonNode r : ROWS) {
      String text = r.path("text").asText();
      assertEquals(
          r.path("rstrip").asText(), PyStrings.rstrip(text), () -> "rstrip of " + escape(text));
    }
  }

  @Test
  void finalSigmaFollowsPython() {
    assertEquals("οδος σοφια", PyStrings.lower("ΟΔΟΣ ΣΟΦΙΑ"));
    assertEquals("ας.", PyStrings.lower("ΑΣ."));
    assertEquals("σ", PyStrings.lower("Σ"));
    assertEquals("i\u0307stanbul", PyStrings.lower("İSTANBUL"));
  }

  @Test
  void emojiNewerThanJavaIsASymbolForIntl() {
    // U+1FAE0 (Unicode 14) is unassigned for Java 17 but \p{S} for sacreBLEU's regex module.
    assertEquals("a \uD83E\uDEE0 b", Tokenizer.INTL.tokenize("a\uD83E\uDEE0b"));
  }

  private static void check(Tokenizer tok, String field) {
    int checked = 0;
    for (JsonNode r : ROWS) {
      String text = r.path("text").asText();
      String expected = String.join(" ", Vectors.strings(r.path(field)));
      assertEquals(expected, tok.tokenize(text), () -> field + " of " + escape(text));
      checked++;
    }
    assertEquals(ROWS.size(), checked);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(cp -> b.append(cp < 0x20 || cp > 0x7e ? String.format("\\u{%x}", cp) : (char) cp));
    return b.toString();
  }
}
