package dev.conveyor.ingest.repository;

import dev.conveyor.ingest.pipeline.HashList;
import dev.conveyor.ingest.pipeline.HashSet128;

/**
 * The content hashes of every version of a dataset up to {@link #version()} (0: none yet): what a
 * pull is de-duplicated against. A pull may only commit version {@code version() + 1}.
 */
public final class KnownHashes {
  private final String dataset;
  private final HashSet128 set;
  private long version;

  public KnownHashes(String dataset, HashSet128 set, long version) {
    this.dataset = dataset;
    this.set = set;
    this.version = version;
  }

  public String dataset() {
    return dataset;
  }

  public HashSet128 set() {
    return set;
  }

  public long version() {
    return version;
  }

  /** Takes in the hashes of the version just committed. */
  public void advance(long committed, HashList added) {
    if (committed != version + 1) {
      throw new IllegalStateException(
          dataset + ": committed v" + committed + " on hashes as of v" + version);
    }
    added.addTo(set);
    version = committed;
  }
}
