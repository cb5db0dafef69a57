package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.artifact.Manifest;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.LoraConfig;
import dev.conveyor.model.nn.Weights;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.TrainingConfig;
import dev.conveyor.model.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {

  /** A new task for the fine-tune: add 2 instead of 1. */
  static List<Example> addTwo(int n) {
    Random r = new Random(5);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String p = TinyTask.prompt(r);
      out.add(Example.pair(p, TinyTask.answer(TinyTask.answer(p))));
    }
    return out;
  }

  @Test
  void loraTrainsOnlyAdaptersAndTheMergedModelEqualsBasePlusAdapters(@TempDir Path tmp)
      throws Exception {
    Path base = TinyTask.trainedArtifact();
    LoraConfig lora = new LoraConfig(4, 8, 0.0);
    TrainingConfig cfg =
        TinyTask.training(60).toBuilder().setLora(lora).setWarmupSteps(5).setWeightDecay(0).build();
    try (GptTrainer t = GptTrainer.fineTune(base, cfg);
        NDManager m = ai.djl.engine.Engine.getEngine("PyTorch").newBaseManager()) {
      Map<String, NDArray> baseWeights = Weights.read(m, base.resolve("model.safetensors"));
      TrainingResult r = t.train(addTwo(400), p -> {}, () -> false);
      assertTrue(r.finalLoss() < r.losses().get(0), "the fine-tune learns: " + r.losses());

      int adapters = 0;
      for (Map.Entry<String, Parameter> e : t.model().namedParameters().entrySet()) {
        NDArray now = e.getValue().getArray();
        if (GptModel.isAdapter(e.getKey())) {
          adapters++;
          if (e.getKey().endsWith("lora_b")) {
            assertTrue(now.abs().sum().getFloat() > 0, "adapter B trained: " + e.getKey());
          }
        } else {
          assertTrue(baseWeights.get(e.getKey()).contentEquals(now), "frozen: " + e.getKey());
        }
      }
      assertEquals(2 * 2 * 2, adapters, "A and B on qkv and proj of both layers");

      // merged weight = W + (alpha / r) * B A, exactly as exported
      Map<String, NDArray> merged = t.model().mergedWeights(m);
      Map<String, Parameter> params = t.model().namedParameters();
      String qkv =
          merged.keySet().stream().filter(k -> k.endsWith("01qkv_weight")).findFirst().get();
      String prefix = qkv.substring(0, qkv.length() - "weight".length());
      NDArray expected =
          baseWeights
              .get(qkv)
              .add(
                  params
                      .get(prefix + "lora_b")
                      .getArray()
                      .matMul(params.get(prefix + "lora_a").getArray())
                      .mul(lora.scale()));
      assertTrue(expected.allClose(merged.get(qkv), 1e-6, 1e-7, false));
      assertFalse(merged.get(qkv).allClose(baseWeights.get(qkv)), "the adapter changed qkv");
      assertFalse(merged.keySet().stream().anyMatch(GptModel::isAdapter), "no adapters exported");

      Path out = tmp.resolve("merged");
      Manifest manifest =
          t.exportArtifact(
              out, ArtifactInfo.of("tiny-add-two", "add-two").withBaseModel("tiny-task/1"));
      assertEquals("tiny-task/1", manifest.training().baseModel());
      assertEquals(lora, manifest.training().config().lora());

      // the merged, adapter-free model computes what base + adapters computed
      long[] ids = {1, 20, 21, 22, 23, 2, 24};
      try (LanguageModel loaded = LanguageModel.load(out)) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray x = m.create(ids, new Shape(1, ids.length));
        NDArray withAdapters = t.model().logits(ps, x, null, null, null, false, false);
        NDArray mergedLogits = loaded.block().logits(ps, x, null, null, null, false, false);
        assertTrue(withAdapters.allClose(mergedLogits, 1e-4, 1e-4, false));
      }
    }
  }
}
