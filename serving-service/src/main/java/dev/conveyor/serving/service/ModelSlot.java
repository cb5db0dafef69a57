package dev.conveyor.serving.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The model serving new requests, plus the previous one kept warm during the post-swap watch.
 * Swapping is a pointer change: batches already decoding hold a lease on the old model and finish
 * on it; the next batch takes whatever is current.
 */
@ApplicationScoped
public class ModelSlot {

  private volatile ServedModel current;
  private ServedModel previous;

  /** The model new requests go to, if any is loaded. */
  public Optional<ServedModel> current() {
    return Optional.ofNullable(current);
  }

  /** The previous model while it is kept warm. */
  public synchronized Optional<ServedModel> previous() {
    return Optional.ofNullable(previous);
  }

  /** The current model with a lease taken, or null when none is loaded. */
  ServedModel lease() {
    while (true) {
      ServedModel m = current;
      if (m == null) {
        return null;
      }
      if (m.acquire()) {
        return m;
      }
      // it was retired between the read and the lease: the slot already points elsewhere
      Thread.onSpinWait();
    }
  }

  /**
   * Makes {@code next} current. The replaced model is kept warm as the rollback target when {@code
   * keepPrevious}, otherwise retired (freed once drained); an older warm model is retired.
   *
   * @return the model that was current before
   */
  synchronized ServedModel swapIn(ServedModel next, boolean keepPrevious) {
    ServedModel old = current;
    current = next;
    if (previous != null && previous != next) {
      previous.retire();
    }
    previous = null;
    if (old != null && old != next) {
      if (keepPrevious) {
        previous = old;
      } else {
        old.retire();
      }
    }
    return old;
  }

  /**
   * Swaps the warm previous model back in and retires {@code failed}, if {@code failed} is still
   * current.
   *
   * @return the model now serving, or empty when there was nothing to roll back to
   */
  synchronized Optional<ServedModel> rollBack(ServedModel failed) {
    if (previous == null || current != failed) {
      return Optional.empty();
    }
    current = previous;
    previous = null;
    failed.retire();
    return Optional.of(current);
  }

  /** Promotes the warm previous model back in directly (a promotion of the same version). */
  synchronized Optional<ServedModel> takePrevious(ModelIdentity wanted) {
    if (previous == null || !previous.identity().equals(wanted)) {
      return Optional.empty();
    }
    ServedModel p = previous;
    previous = null;
    ServedModel old = current;
    current = p;
    if (old != null) {
      old.retire();
    }
    return Optional.of(p);
  }

  /** Ends the watch: the warm previous model is freed once drained. */
  synchronized void releasePrevious(ServedModel expected) {
    if (previous != null && previous == expected) {
      previous.retire();
      previous = null;
    }
  }

  /** Frees everything (shutdown). */
  synchronized void clear() {
    if (previous != null) {
      previous.retire();
      previous = null;
    }
    if (current != null) {
      current.retire();
      current = null;
    }
  }
}
