package dev.conveyor.registry.repository;

import dev.conveyor.events.BaseModel;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** What a requested or finished run started from: scratch, or a version of the model. */
@Embeddable
public class BaseModelColumns {
  /** {@code scratch} or {@code model} (the wire values of BaseModel.Kind). */
  @Column(name = "base_kind", nullable = false, length = 32)
  public String kind;

  @Column(name = "base_version")
  public Long version;

  public static BaseModelColumns of(BaseModel base) {
    BaseModelColumns b = new BaseModelColumns();
    b.kind = base.kind().wire();
    b.version = base.version();
    return b;
  }

  /** {@code v<N>} for a fine-tune, else the kind. */
  public String label() {
    return version == null ? kind : "v" + version;
  }
}
