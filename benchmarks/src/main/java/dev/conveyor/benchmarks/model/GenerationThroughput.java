package dev.conveyor.benchmarks.model;

import dev.conveyor.model.LanguageModel;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.generate.TokenListener;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation tokens/s of the default architecture with and without the KV cache, batch 1 and batch
 * 8 (prompts of different lengths), {@code --tokens} generated per prompt (end-of-text ignored so
 * every run generates the same count). The context is raised to 512 so that prompt + 256 tokens
 * fit; weights are freshly initialised (speed does not depend on them). Prints {@code RESULT} lines
 * (JSON).
 */
public final class GenerationThroughput {

  private GenerationThroughput() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs a = new BenchArgs(argv);
    int tokens = a.integer("tokens", 256);
    int vocab = a.integer("vocab", 2048);
    int reps = a.integer("reps", 3);
    Path dir = Files.createTempDirectory("bench-gen");
    List<String> docs = BenchArgs.corpus(400, 1);
    try (TextTokenizer tok = TextTokenizer.train(docs, vocab, dir.resolve("tokenizer.json"))) {
      ModelConfig mc = ModelConfig.defaults(tok.vocabSize()).withContextLength(512);
      try (GptTrainer t =
          GptTrainer.fromScratch(mc, tok, TrainingConfig.builder().setSteps(1).build())) {
        t.exportArtifact(dir.resolve("artifact"), ArtifactInfo.of("bench", "none"));
      }
    }
    try (LanguageModel m = LanguageModel.load(dir.resolve("artifact"))) {
      for (int batch : new int[] {1, 8}) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          prompts.add(docs.get(i).substring(0, 40 + 15 * i)); // different lengths
        }
        GenerationOptions o = GenerationOptions.greedy(tokens).withStopAtEndOfText(false);
        boolean[] modes = {true, false};
        double[] best = new double[2];
        String[] all = {"", ""};
        for (boolean cache : modes) {
          m.continueText(prompts, o.withKvCache(cache), TokenListener.none()); // warm-up
        }
        // the modes alternate, so a change in the machine's load hits both alike
        for (int r = 0; r < reps; r++) {
          for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            List<Completion> out =
                m.continueText(prompts, o.withKvCache(modes[i]), TokenListener.none());
            double secs = (System.nanoTime() - t0) / 1e9;
            int generated = out.stream().mapToInt(Completion::completionTokens).sum();
            best[i] = Math.max(best[i], generated / secs);
            all[i] += (all[i].isEmpty() ? "" : ",") + Math.round(generated / secs);
          }
        }
        for (int i = 0; i < 2; i++) {
          System.out.printf(
              "RESULT {\"impl\":\"djl-generate\",\"batch\":%d,\"kv_cache\":%b,\"tokens\":%d,"
                  + "\"prompt_tokens_max\":%d,\"tokens_per_s\":%.1f,\"runs\":\"%s\"}%n",
              batch,
              modes[i],
              tokens,
              m.tokenizer().encode(prompts.get(batch - 1)).length,
              best[i],
              all[i]);
        }
      }
    }
  }
}
