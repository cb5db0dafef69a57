package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.FinishReason;
import dev.conveyor.model.generate.GenerationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GenerationBehaviourTest {

  @Test
  void stopSequencesMaxTokensAndStreaming() throws Exception {
    try (LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact())) {
      Completion full = m.complete(List.of("3179"), GenerationOptions.greedy(8)).get(0);
      assertEquals("4280", full.text());
      assertEquals(FinishReason.STOP, full.finishReason());
      assertEquals(6, full.promptTokens());
      assertEquals(5, full.completionTokens(), "4 digits and <|endoftext|>");

      Completion stopped =
          m.complete(List.of("3179"), GenerationOptions.greedy(8).withStopSequences(List.of("8")))
              .get(0);
      assertEquals("42", stopped.text());
      assertEquals(FinishReason.STOP, stopped.finishReason());

      Completion capped = m.complete(List.of("3179"), GenerationOptions.greedy(2)).get(0);
      assertEquals("42", capped.text());
      assertEquals(FinishReason.MAX_TOKENS, capped.finishReason());

      StringBuilder streamed = new StringBuilder();
      List<Integer> streamedIds = new ArrayList<>();
      GenerationOptions o = GenerationOptions.greedy(8).withStopSequences(List.of("80"));
      Completion c =
          m.complete(
                  List.of("3179"),
                  o,
                  (i, id, delta) -> {
                    streamed.append(delta);
                    streamedIds.add(id);
                  })
              .get(0);
      assertEquals("42", c.text());
      assertEquals(c.text(), streamed.toString(), "the stop sequence is never streamed");
      assertEquals(c.tokenIds(), streamedIds);
    }
  }

  @Test
  void contextLengthBoundsGeneration() throws Exception {
    try (LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact())) {
      int ctx = m.config().contextLength();
      GenerationOptions o = GenerationOptions.greedy(100).withStopAtEndOfText(false);
      Completion c = m.continueText(List.of("1234567890"), o, (i, t, d) -> {}).get(0);
      assertEquals(FinishReason.CONTEXT_LENGTH, c.finishReason());
      assertEquals(ctx + 1, c.promptTokens() + c.completionTokens());
      String longPrompt = "1".repeat(3 * ctx);
      Completion t = m.complete(List.of(longPrompt), GenerationOptions.greedy(3)).get(0);
      assertEquals(ctx - 1, t.promptTokens(), "prompt cut to the most recent tokens");
    }
  }

  @Test
  void samplingIsSeededPerRequest() throws Exception {
    try (LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact())) {
      GenerationOptions hot =
          GenerationOptions.sampling(12, 3.0, 0, 1.0, 1).withStopAtEndOfText(false);
      List<String> p = List.of("3179");
      assertEquals(m.complete(p, hot), m.complete(p, hot));
      List<List<Integer>> outs = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        outs.add(m.complete(p, hot.withSeed(s)).get(0).tokenIds());
      }
      assertTrue(outs.stream().distinct().count() > 1, "seeds change samples: " + outs);
      GenerationOptions top1 = GenerationOptions.sampling(6, 5.0, 1, 1.0, 9);
      assertEquals(
          m.complete(p, GenerationOptions.greedy(6)), m.complete(p, top1), "top-k 1 = greedy");
    }
  }

  @Test
  void oneModelServesSeveralThreadsAndRefusesUseAfterClose() throws Exception {
    LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String p = "12" + i + "4";
        fs.add(
            pool.submit(() -> m.complete(List.of(p), GenerationOptions.greedy(6)).get(0).text()));
      }
      for (int i = 0; i < 8; i++) {
        assertEquals(TinyTask.answer("12" + i + "4"), fs.get(i).get());
      }
    } finally {
      pool.shutdown();
      m.close();
    }
    assertThrows(
        IllegalStateException.class, () -> m.complete(List.of("1"), GenerationOptions.greedy(1)));
    assertNotEquals(null, m.manifest());
  }
}
