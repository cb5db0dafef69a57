package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.tokenizer.PromptTemplate;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

  static List<String> corpus() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(
          "Q: What does the trainer do? A: The trainer fits the model to data number " + i + ".");
      out.add("The evaluator scores the model; the server answers requests.");
    }
    return out;
  }

  @Test
  void trainedBpeCompressesAndRoundTripsLosslessly(@TempDir Path dir) throws Exception {
    try (TextTokenizer tok = TextTokenizer.train(corpus(), 400, dir.resolve("t.json"))) {
      assertTrue(tok.vocabSize() > 300 && tok.vocabSize() <= 400, "vocab " + tok.vocabSize());
      assertEquals(
          List.of(0, 1, 2, 3),
          List.of(tok.endOfTextId(), tok.promptId(), tok.completionId(), tok.padId()));
      String s = "Q: What does the trainer do? A: The trainer fits the model.";
      long[] ids = tok.encode(s);
      assertTrue(ids.length < s.length() / 2, "merges compress: " + ids.length + " tokens");
      assertEquals(s, tok.decode(ids));
      String unicode = "ünïcode ✓ 日本語, tabs\tand\nnewlines  and  spaces ";
      assertEquals(unicode, tok.decode(tok.encode(unicode)));
    }
  }

  @Test
  void longTextsAreNotTruncated(@TempDir Path dir) throws Exception {
    try (TextTokenizer tok = TextTokenizer.train(corpus(), 300, dir.resolve("t.json"))) {
      String longText = String.join(" ", corpus()); // far beyond HF's default 512 tokens
      long[] ids = tok.encode(longText);
      assertTrue(ids.length > 2000, "tokens " + ids.length);
      assertEquals(longText, tok.decode(ids));
    }
  }

  @Test
  void trainingIsDeterministic(@TempDir Path dir) throws Exception {
    TextTokenizer.train(corpus(), 350, dir.resolve("a.json")).close();
    TextTokenizer.train(corpus(), 350, dir.resolve("b.json")).close();
    assertEquals(Files.readString(dir.resolve("a.json")), Files.readString(dir.resolve("b.json")));
  }

  @Test
  void promptTemplateInsertsSpecialTokensById(@TempDir Path dir) throws Exception {
    try (TextTokenizer tok = TextTokenizer.train(corpus(), 300, dir.resolve("t.json"))) {
      long[] ids = PromptTemplate.encodePrompt(tok, "hi");
      assertEquals(tok.promptId(), ids[0]);
      assertEquals(tok.completionId(), ids[ids.length - 1]);
      assertArrayEquals(tok.encode("hi"), java.util.Arrays.copyOfRange(ids, 1, ids.length - 1));
      assertEquals("<|prompt|>hi<|completion|>", PromptTemplate.format("hi"));
      assertArrayEquals(tok.encode(PromptTemplate.format("hi")), ids, "same ids as the text form");
      assertEquals("hi", tok.decode(ids), "special tokens are skipped when decoding");
    }
  }
}
