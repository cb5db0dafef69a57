package dev.conveyor.storage.dataset;

/** Where a dataset version's files live in the bucket, and their names. */
public final class DatasetLayout {
  public static final String ROOT = "datasets/";
  public static final String TRAIN = "train.jsonl.gz";
  public static final String TEST = "test.jsonl.gz";
  public static final String QUARANTINE = "quarantine.jsonl.gz";
  public static final String MANIFEST = "manifest.json";

  private DatasetLayout() {}

  /** {@code datasets/<name>/v<N>/}. */
  public static String prefix(String dataset, long version) {
    if (dataset == null || !dataset.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "dataset name must match [a-z0-9][a-z0-9._-]{0,63}: " + dataset);
    }
    if (version < 1) {
      throw new IllegalArgumentException("dataset versions start at 1: " + version);
    }
    return ROOT + dataset + "/v" + version + "/";
  }

  /** {@code datasets/<name>/v<N>/manifest.json}. */
  public static String manifestKey(String dataset, long version) {
    return prefix(dataset, version) + MANIFEST;
  }
}
