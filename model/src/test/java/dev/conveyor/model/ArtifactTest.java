package dev.conveyor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.ArtifactException;
import dev.conveyor.model.artifact.ArtifactReader;
import dev.conveyor.model.artifact.Digests;
import dev.conveyor.model.artifact.Manifest;
import dev.conveyor.model.generate.GenerationOptions;
import dev.conveyor.model.tokenizer.BpeTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void manifestDescribesEveryFileAndTheModelCardIsWritten() throws Exception {
    Path dir = TinyTask.trainedArtifact();
    Manifest m = ArtifactReader.verify(dir);
    assertEquals(Manifest.FORMAT, m.format());
    assertEquals(
        java.util.Set.of("model.safetensors", "tokenizer.json", "README.md"), m.files().keySet());
    for (var e : m.files().entrySet()) {
      assertEquals(Digests.sha256(dir.resolve(e.getKey())), e.getValue().sha256());
    }
    assertEquals(64, m.training().configHash().length());
    assertEquals("synthetic-add-one", m.training().datasetDigest());
    assertEquals("add-one", m.training().datasetName());
    assertEquals(7L, m.training().datasetVersion());
    String card = Files.readString(dir.resolve("README.md"));
    assertTrue(card.contains("## Intended use") && card.contains("## Metrics"), card);
    assertTrue(card.contains("| layers | 2 |"), card);
  }

  @Test
  void archiveRoundTripGivesTheSameModel(@TempDir Path tmp) throws Exception {
    Path archive = tmp.resolve("model.zip");
    Archives.pack(TinyTask.trainedArtifact(), archive);
    byte[] first = Files.readAllBytes(archive);
    Archives.pack(TinyTask.trainedArtifact(), archive);
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(archive)), "reproducible bytes");
    Manifest m = Archives.unpack(archive, tmp.resolve("unpacked"));
    assertEquals("tiny-task", m.name());
    List<String> prompts = List.of("1234", "9876");
    try (LanguageModel a = LanguageModel.load(TinyTask.trainedArtifact());
        LanguageModel b = LanguageModel.load(tmp.resolve("unpacked"))) {
      GenerationOptions o = GenerationOptions.greedy(6);
      assertEquals(a.complete(prompts, o), b.complete(prompts, o));
      assertEquals("2345", b.complete(prompts, o).get(0).text());
    }
  }

  @Test
  void aManifestWrittenBeforeTheDatasetNameWasRecordedStillReads(@TempDir Path tmp)
      throws Exception {
    Path dir = copy(tmp);
    ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
    ObjectNode training = (ObjectNode) m.get("training");
    training.remove("datasetName");
    training.remove("datasetVersion");
    JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    Manifest read = ArtifactReader.verify(dir);
    assertEquals("synthetic-add-one", read.training().datasetDigest());
    assertEquals(null, read.training().datasetName());
    assertEquals(null, read.training().datasetVersion());
  }

  @Test
  void flippedByteIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = copy(tmp);
    byte[] w = Files.readAllBytes(dir.resolve("model.safetensors"));
    w[w.length / 2] ^= 0x40;
    Files.write(dir.resolve("model.safetensors"), w);
    assertRefused(dir, "model.safetensors", "sha256 mismatch");
  }

  @Test
  void truncatedWeightsAreRefused(@TempDir Path tmp) throws Exception {
    Path dir = copy(tmp);
    byte[] w = Files.readAllBytes(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length - 100));
    assertRefused(dir, "model.safetensors", "truncated");
  }

  @Test
  void missingTokenizerIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = copy(tmp);
    Files.delete(dir.resolve("tokenizer.json"));
    assertRefused(dir, "tokenizer.json", "missing");
  }

  @Test
  void brokenManifestIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = copy(tmp);
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"conveyor-model/1\", ");
    assertRefused(dir, "manifest.json", "not a valid manifest");
    Files.delete(dir.resolve("manifest.json"));
    assertRefused(dir, "manifest.json", "missing");
  }

  @Test
  void configThatDoesNotMatchTheWeightsIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = copy(tmp);
    ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
    ((ObjectNode) m.get("modelConfig")).put("width", 32);
    JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    assertRefused(dir, "model.safetensors", "config expects");
    ((ObjectNode) m.get("modelConfig")).put("width", 64).put("layers", 1);
    JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    assertRefused(dir, "model.safetensors", "unexpected tensor");
  }

  @Test
  void tokenizerOfAnotherVocabularyIsRefusedEvenWithAMatchingDigest(@TempDir Path tmp)
      throws Exception {
    Path dir = copy(tmp);
    Path tok = dir.resolve("tokenizer.json");
    BpeTrainer.builder()
        .setVocabSize(BpeTrainer.baseVocabSize() + 3)
        .build()
        .train(List.of("aaa bbb aaa bbb aaa"), tok);
    ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
    ObjectNode entry = (ObjectNode) m.get("files").get("tokenizer.json");
    entry.put("sha256", Digests.sha256(tok)).put("size", Files.size(tok));
    JSON.writeValue(dir.resolve("manifest.json").toFile(), m);
    assertRefused(dir, "tokenizer.json", "vocabulary has");
  }

  @Test
  void corruptArchiveIsRefused(@TempDir Path tmp) throws Exception {
    Path archive = tmp.resolve("model.zip");
    Archives.pack(TinyTask.trainedArtifact(), archive);
    byte[] z = Files.readAllBytes(archive);
    Files.write(archive, java.util.Arrays.copyOf(z, z.length / 2));
    assertThrows(IOException.class, () -> Archives.unpack(archive, tmp.resolve("x")));
  }

  static void assertRefused(Path dir, String file, String reason) {
    ArtifactException e = assertThrows(ArtifactException.class, () -> LanguageModel.load(dir));
    assertEquals(file, e.file(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  static Path copy(Path tmp) throws IOException {
    Path src = TinyTask.trainedArtifact();
    Path dst = tmp.resolve("copy");
    Files.createDirectories(dst);
    try (Stream<Path> s = Files.list(src)) {
      for (Path p : s.toList()) {
        Files.copy(p, dst.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dst;
  }
}
