package dev.conveyor.model.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Verifies an artifact directory before anything is loaded from it: manifest present and valid,
 * every listed file present with the listed size and sha256, tokenizer consistent with the config.
 * Weight shapes are checked when the weights are assigned (see {@code LanguageModel.load}).
 */
public final class ArtifactReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactReader() {}

  /** Verifies {@code directory} and returns its manifest, or throws naming the bad file. */
  public static Manifest verify(Path directory) throws ArtifactException {
    Path mf = directory.resolve(Manifest.FILE);
    if (!Files.isRegularFile(mf)) {
      throw new ArtifactException(Manifest.FILE, "missing (is " + directory + " an artifact?)");
    }
    Manifest manifest;
    try {
      manifest = JSON.readValue(mf.toFile(), Manifest.class);
    } catch (IOException | RuntimeException e) {
      throw new ArtifactException(Manifest.FILE, "not a valid manifest: " + e.getMessage(), e);
    }
    if (!Manifest.FORMAT.equals(manifest.format())) {
      throw new ArtifactException(Manifest.FILE, "unsupported format '" + manifest.format() + "'");
    }
    if (manifest.modelConfig() == null
        || manifest.files() == null
        || manifest.tokenizer() == null) {
      throw new ArtifactException(Manifest.FILE, "lacks modelConfig, tokenizer or files");
    }
    for (String required : new String[] {manifest.weightsFile(), manifest.tokenizer().file()}) {
      if (required == null || !manifest.files().containsKey(required)) {
        throw new ArtifactException(Manifest.FILE, "does not list a digest for " + required);
      }
    }
    for (Map.Entry<String, Manifest.FileEntry> e : manifest.files().entrySet()) {
      checkFile(directory, e.getKey(), e.getValue());
    }
    checkTokenizer(directory, manifest);
    return manifest;
  }

  private static void checkFile(Path dir, String name, Manifest.FileEntry entry)
      throws ArtifactException {
    Path p = dir.resolve(name).normalize();
    if (!p.startsWith(dir.normalize()) || name.contains("..")) {
      throw new ArtifactException(name, "path escapes the artifact directory");
    }
    if (!Files.isRegularFile(p)) {
      throw new ArtifactException(name, "missing");
    }
    try {
      long size = Files.size(p);
      if (size < entry.size()) {
        throw new ArtifactException(
            name, "truncated: " + size + " bytes, the manifest says " + entry.size());
      }
      if (size > entry.size()) {
        throw new ArtifactException(
            name, "size mismatch: " + size + " bytes, the manifest says " + entry.size());
      }
      String actual = Digests.sha256(p);
      if (!actual.equalsIgnoreCase(entry.sha256())) {
        throw new ArtifactException(
            name, "sha256 mismatch (corrupt or modified): " + actual + " != " + entry.sha256());
      }
    } catch (ArtifactException e) {
      throw e;
    } catch (IOException e) {
      throw new ArtifactException(name, "unreadable: " + e.getMessage(), e);
    }
  }

  private static void checkTokenizer(Path dir, Manifest manifest) throws ArtifactException {
    String name = manifest.tokenizer().file();
    int expected = manifest.modelConfig().vocabSize();
    try (TextTokenizer tok = TextTokenizer.load(dir.resolve(name))) {
      if (tok.vocabSize() != expected) {
        throw new ArtifactException(
            name,
            "vocabulary has " + tok.vocabSize() + " ids but the model config expects " + expected);
      }
    } catch (ArtifactException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ArtifactException(name, "not a loadable tokenizer: " + e.getMessage(), e);
    }
  }
}
