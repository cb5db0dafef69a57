package dev.conveyor.serving.service;

import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import dev.conveyor.storage.dataset.DatasetReader;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompts of a new model's golden smoke test: the first records of the test split of the
 * dataset its manifest names, read and verified through the storage module's {@link DatasetReader}.
 * Artifacts name the dataset by name, version and manifest digest ({@code training.datasetName},
 * {@code datasetVersion}, {@code datasetDigest}); for older ones that record the digest only, the
 * version is found by digest among the stored dataset manifests (versions are immutable: a hit is
 * remembered). The configured prompts are used only when the artifact names no dataset; a named
 * dataset that cannot be found or verified (its manifest must have the digest) refuses the model.
 */
@ApplicationScoped
public class GoldenPrompts {

  /** Where the prompts came from, for logs and the swap history. */
  public record Golden(String source, boolean text, List<String> prompts) {}

  private final ObjectStore store;
  private final ServingConfig config;
  private final Map<String, String[]> byDigest = new ConcurrentHashMap<>();

  public GoldenPrompts(ObjectStore store, ServingConfig config) {
    this.store = store;
    this.config = config;
  }

  /**
   * The golden prompts for a model trained on {@code datasetDigest}.
   *
   * @param name the dataset's name when the artifact records it, else null (found by digest)
   * @param version the dataset's version when the artifact records it, else null
   * @throws ModelRefusedException (step {@code smoke-test}) when the named dataset is missing,
   *     corrupt or has no usable test record
   */
  public Golden forDataset(String datasetDigest, String name, Long version) {
    int max = config.smoke().maxPrompts();
    if (datasetDigest == null || datasetDigest.isBlank()) {
      return new Golden("config (the artifact names no dataset)", false, config.smoke().prompts());
    }
    String[] ref =
        name != null && version != null
            ? new String[] {name, Long.toString(version)}
            : byDigest.computeIfAbsent(datasetDigest, this::find);
    if (ref == null) {
      throw refused("dataset " + datasetDigest + " named by the artifact is not in storage");
    }
    DatasetView view;
    try {
      view = new DatasetReader(store).view(ref[0], Long.parseLong(ref[1]), datasetDigest);
    } catch (StorageException | IllegalArgumentException e) {
      throw refused("dataset " + ref[0] + " v" + ref[1] + ": " + e.getMessage());
    }
    boolean text = DatasetManifest.KIND_TEXT.equals(view.kind());
    List<String> prompts = new ArrayList<>();
    for (DatasetRecord r : view.test()) {
      String p = r.isQa() ? r.prompt() : head(r.text());
      if (p != null && !p.isBlank()) {
        prompts.add(p);
      }
      if (prompts.size() == max) {
        break;
      }
    }
    if (prompts.isEmpty()) {
      throw refused("dataset " + ref[0] + " v" + ref[1] + " has no test record to smoke-test with");
    }
    return new Golden(
        "test split of " + ref[0] + " v" + ref[1] + " (" + view.test().size() + " records)",
        text,
        List.copyOf(prompts));
  }

  /** The opening of a corpus window: the model continues it. */
  private static String head(String text) {
    if (text == null) {
      return null;
    }
    int cut = Math.min(text.length(), 64);
    int space = text.lastIndexOf(' ', cut);
    return text.substring(0, space > 16 ? space : cut);
  }

  /** {@code [name, version]} of the stored dataset version whose manifest has this digest. */
  private String[] find(String digest) {
    List<String> keys;
    try {
      keys = store.list(DatasetLayout.ROOT);
    } catch (StorageException e) {
      throw refused("cannot list datasets: " + e.getMessage());
    }
    // newest versions first: a model is usually trained on a recent one
    for (int i = keys.size() - 1; i >= 0; i--) {
      String key = keys.get(i);
      if (!key.endsWith("/" + DatasetLayout.MANIFEST)) {
        continue;
      }
      byte[] bytes = store.get(key);
      if (Digests.of(bytes).equals(digest)) {
        DatasetManifest m = DatasetManifest.parse(bytes);
        return new String[] {m.dataset(), Long.toString(m.version())};
      }
    }
    return null;
  }

  private static ModelRefusedException refused(String reason) {
    return new ModelRefusedException("smoke-test", reason, null);
  }
}
