package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.generate.TokenListener;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.KvCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenerationExactnessTest {

  // prompts of different lengths, in and out of the training distribution
  static final List<String> PROMPTS =
      List.of("3179", "5", "12", "90210", "1234567", "0000", "8", "246813579");

  static LanguageModel model;

  @BeforeAll
  static void load() throws Exception {
    model = LanguageModel.load(TinyTask.trainedArtifact());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void kvCacheGivesExactlyTheTokensOfReEncoding() {
    // past <|endoftext|> on purpose: 24 tokens through the cache, well beyond the training length
    List<String> texts = List.of("1234", "98", "55555");
    for (GenerationOptions o :
        List.of(GenerationOptions.greedy(24), GenerationOptions.sampling(24, 1.0, 0, 1.0, 3))) {
      o = o.withStopAtEndOfText(false);
      for (String t : texts) {
        List<Completion> cached = model.continueText(List.of(t), o, TokenListener.none());
        List<Completion> plain =
            model.continueText(List.of(t), o.withKvCache(false), TokenListener.none());
        assertEquals(plain.get(0).tokenIds(), cached.get(0).tokenIds(), "prompt " + t);
        assertEquals(24, cached.get(0).completionTokens());
      }
    }
  }

  @Test
  void incrementalLogitsMatchFullForward() {
    GptModel block = model.block();
    long[] ids = {1, 20, 21, 22, 23, 2, 24, 25, 26, 27, 0, 5};
    try (NDManager m = model.manager().newSubManager()) {
      ParameterStore ps = new ParameterStore(m, false);
      NDArray full =
          block.logits(ps, m.create(ids, new Shape(1, ids.length)), null, null, null, false, false);
      try (KvCache cache = block.newCache(m)) {
        NDArray first =
            block.logits(
                ps,
                m.create(new long[] {ids[0], ids[1], ids[2]}, new Shape(1, 3)),
                null,
                null,
                cache,
                false,
                false);
        assertTrue(first.allClose(full.get(":, 0:3, :"), 1e-5, 1e-5, false));
        for (int i = 3; i < ids.length; i++) {
          NDArray step =
              block.logits(
                  ps,
                  m.create(new long[] {ids[i]}, new Shape(1, 1)),
                  null,
                  null,
                  cache,
                  false,
                  false);
          assertTrue(
              step.allClose(full.get(":, " + i + ":" + (i + 1) + ", :"), 1e-5, 1e-5, false),
              "position " + i);
        }
        assertEquals(ids.length, cache.length());
      }
    }
  }

  @Test
  void mixedLengthBatchEqualsOneByOne() {
    for (boolean cache : new boolean[] {true, false}) {
      GenerationOptions o = GenerationOptions.greedy(10).withKvCache(cache);
      List<Completion> batch = model.complete(PROMPTS, o);
      for (int i = 0; i < PROMPTS.size(); i++) {
        Completion single = model.complete(List.of(PROMPTS.get(i)), o).get(0);
        assertEquals(single.tokenIds(), batch.get(i).tokenIds(), "prompt " + PROMPTS.get(i));
        assertEquals(single.text(), batch.get(i).text());
        assertEquals(single.promptTokens(), batch.get(i).promptTokens());
        assertEquals(single.finishReason(), batch.get(i).finishReason());
      }
    }
  }

  @Test
  void sampledBatchEqualsOneByOneWithPerRequestOptions() {
    List<GenerationOptions> opts = new ArrayList<>();
    for (int i = 0; i < PROMPTS.size(); i++) {
      opts.add(GenerationOptions.sampling(6 + i, 1.3, i % 2 == 0 ? 0 : 5, 0.95, 100 + i));
    }
    List<Completion> batch = model.complete(PROMPTS, opts, TokenListener.none());
    for (int i = 0; i < PROMPTS.size(); i++) {
      Completion single = model.complete(List.of(PROMPTS.get(i)), opts.get(i)).get(0);
      assertEquals(single.tokenIds(), batch.get(i).tokenIds(), "prompt " + PROMPTS.get(i));
      assertTrue(single.completionTokens() <= 6 + i);
    }
  }
}
