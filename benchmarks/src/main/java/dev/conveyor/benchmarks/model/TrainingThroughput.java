package dev.conveyor.benchmarks.model;

import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Training tokens/s of the default model through the real trainer ({@link GptTrainer}): BPE
 * tokenizer trained on a synthetic corpus, full rows of {@code --seq} tokens, AdamW, clipping,
 * warm-up + cosine. The first {@code --warmup} steps are not timed. Prints one {@code RESULT} line
 * (JSON) that {@code benchmarks/model/run.sh} collects.
 */
public final class TrainingThroughput {

  private TrainingThroughput() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs a = new BenchArgs(argv);
    int steps = a.integer("steps", 60);
    int warmup = a.integer("warmup", 5);
    int batch = a.integer("batch", 32);
    int seq = a.integer("seq", 128);
    int vocab = a.integer("vocab", 2048);
    Path dir = Files.createTempDirectory("bench-train");
    List<String> docs = BenchArgs.corpus(400, 1);
    try (TextTokenizer tok = TextTokenizer.train(docs, vocab, dir.resolve("tokenizer.json"))) {
      ModelConfig mc = ModelConfig.defaults(tok.vocabSize());
      TrainingConfig tc =
          TrainingConfig.builder()
              .setSteps(steps)
              .setBatchSize(batch)
              .setSequenceLength(seq)
              .setLearningRate(1e-3)
              .setWarmupSteps(10)
              .build();
      long[] marks = new long[2];
      try (GptTrainer t = GptTrainer.fromScratch(mc, tok, tc)) {
        List<Example> data = docs.stream().map(Example::text).toList();
        double[] lastLoss = new double[1];
        t.train(
            data,
            p -> {
              if (p.step() == warmup) {
                marks[0] = System.nanoTime();
              }
              if (p.step() == steps) {
                marks[1] = System.nanoTime();
              }
              lastLoss[0] = p.loss();
            },
            () -> false);
        double secs = (marks[1] - marks[0]) / 1e9;
        double tokensPerSecond = (double) batch * seq * (steps - warmup) / secs;
        System.out.printf(
            "RESULT {\"impl\":\"djl\",\"params\":%d,\"vocab\":%d,\"layers\":%d,\"width\":%d,"
                + "\"heads\":%d,\"batch\":%d,\"seq\":%d,\"timed_steps\":%d,\"seconds\":%.3f,"
                + "\"tokens_per_s\":%.1f,\"final_loss\":%.4f}%n",
            mc.parameterCount(),
            mc.vocabSize(),
            mc.layers(),
            mc.width(),
            mc.heads(),
            batch,
            seq,
            steps - warmup,
            secs,
            tokensPerSecond,
            lastLoss[0]);
      }
    }
  }
}
