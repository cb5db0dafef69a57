package dev.conveyor.registry.repository;

import dev.conveyor.events.DatasetRef;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** The dataset version a request, run, version or evaluation is about. */
@Embeddable
public class DatasetColumns {
  @Column(name = "dataset_name", nullable = false)
  public String name;

  @Column(name = "dataset_version", nullable = false)
  public long version;

  @Column(name = "dataset_digest", nullable = false)
  public String digest;

  public static DatasetColumns of(DatasetRef ref) {
    DatasetColumns d = new DatasetColumns();
    d.name = ref.name();
    d.version = ref.version();
    d.digest = ref.digest();
    return d;
  }
}
