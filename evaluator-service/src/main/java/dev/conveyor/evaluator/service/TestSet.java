package dev.conveyor.evaluator.service;

import dev.conveyor.events.DatasetRef;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.dataset.DatasetManifest;
import dev.conveyor.storage.dataset.DatasetReader;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The held-out examples of a dataset version: its full test view, read and verified by storage. */
@ApplicationScoped
public class TestSet {
  private final DatasetReader reader;

  public TestSet(ObjectStore store) {
    this.reader = new DatasetReader(store);
  }

  /** The verified view of {@code ref} (its manifest must have {@code ref.digest()}). */
  public DatasetView view(DatasetRef ref) {
    return reader.view(ref.name(), ref.version(), ref.digest());
  }

  /** The prompt/completion pairs of the test view, in order. */
  public static List<DatasetRecord> qaTest(DatasetView view) {
    List<DatasetRecord> out = new ArrayList<>();
    for (DatasetRecord r : view.test()) {
      if (r.isQa() && r.prompt() != null && r.completion() != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Training records the view added after the version whose manifest digest is {@code digest}: the
   * chain links each manifest to its parent's digest, so the champion's dataset is found in it.
   *
   * @return the records added after it, or those of the newest version alone when it is not in the
   *     chain
   */
  public static long trainAddedSince(DatasetView view, String digest) {
    List<DatasetManifest> chain = view.chain();
    int found = -1;
    for (int i = 0; i < chain.size(); i++) {
      String own = i + 1 < chain.size() ? chain.get(i + 1).parentDigest() : view.manifestDigest();
      if (own != null && own.equals(digest)) {
        found = i;
      }
    }
    int from = found >= 0 ? found + 1 : chain.size() - 1;
    long n = 0;
    for (int i = from; i < chain.size(); i++) {
      n += chain.get(i).counts().train();
    }
    return n;
  }

  /** Version label of the manifest with {@code digest} in the view's chain, for reasons. */
  public static String label(DatasetView view, String digest) {
    List<DatasetManifest> chain = view.chain();
    for (int i = 0; i < chain.size(); i++) {
      String own = i + 1 < chain.size() ? chain.get(i + 1).parentDigest() : view.manifestDigest();
      if (own != null && own.equals(digest)) {
        return "the champion's dataset " + view.dataset() + " v" + chain.get(i).version();
      }
    }
    return view.dataset()
        + " v"
        + (view.version() - 1)
        + " (the champion's dataset is not in this chain)";
  }
}
