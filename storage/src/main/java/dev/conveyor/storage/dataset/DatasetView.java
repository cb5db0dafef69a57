package dev.conveyor.storage.dataset;

import java.util.List;

/**
 * The full train/test view of a version: every record of it and of its ancestors, oldest version
 * first, in file order.
 *
 * @param chain manifests from v1 (or the oldest ancestor) to the requested version
 */
public record DatasetView(
    String dataset,
    long version,
    String manifestDigest,
    String kind,
    List<DatasetManifest> chain,
    List<DatasetRecord> train,
    List<DatasetRecord> test) {

  public DatasetView {
    chain = List.copyOf(chain);
    train = List.copyOf(train);
    test = List.copyOf(test);
  }

  /** The requested version's own manifest. */
  public DatasetManifest manifest() {
    return chain.get(chain.size() - 1);
  }
}
