package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.model.data.Example;
import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.FinishReason;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.train.TrainingResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningTest {

  @Test
  void tinyModelLearnsTheTaskAndGeneralises() throws Exception {
    TrainingResult r = TinyTask.result();
    double uniform = Math.log(260);
    System.out.printf(
        "tiny task: first loss %.3f, final %.4f (uniform %.3f), %.0f tok/s, %s%n",
        r.losses().get(0), r.finalLoss(), uniform, r.tokensPerSecond(), r.elapsed());
    for (int s = 50; s <= r.losses().size(); s += 50) {
      System.out.printf("  step %d loss %.4f%n", s, r.losses().get(s - 1));
    }
    assertTrue(r.losses().get(0) > 0.8 * uniform, "starts near the uniform baseline");
    assertTrue(
        r.finalLoss() < 0.05 * uniform, "final loss " + r.finalLoss() + " far below uniform");

    List<Example> heldOut = TinyTask.heldOut();
    try (LanguageModel m = LanguageModel.load(TinyTask.trainedArtifact())) {
      List<Completion> out =
          m.complete(heldOut.stream().map(Example::prompt).toList(), GenerationOptions.greedy(8));
      int right = 0;
      for (int i = 0; i < heldOut.size(); i++) {
        if (out.get(i).text().equals(heldOut.get(i).completion())) {
          right++;
        }
        assertEquals(FinishReason.STOP, out.get(i).finishReason(), "ends with <|endoftext|>");
      }
      System.out.printf("held-out exact match %d/%d%n", right, heldOut.size());
      assertTrue(right >= heldOut.size() * 0.95, "held-out exact match " + right);
    }
  }
}
