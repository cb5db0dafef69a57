package dev.conveyor.serving.service;

import dev.conveyor.events.RollbackRequested;
import dev.conveyor.serving.config.ServingConfig;
import dev.conveyor.serving.messaging.RollbackPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches a freshly swapped-in model for {@code watch.window}: when its error rate or p99 latency
 * breaks the threshold (after {@code min-samples} requests) the warm previous model is swapped back
 * and {@code rollback-requested} is published with the evidence. When the window passes quietly the
 * previous model is released.
 */
@ApplicationScoped
public class PostSwapWatch {

  private static final Logger LOG = Logger.getLogger(PostSwapWatch.class);

  private final ServingConfig config;
  private final ModelSlot slot;
  private final RollbackPublisher publisher;
  private final MeterRegistry registry;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "serving-watch");
            t.setDaemon(true);
            return t;
          });
  private Watched watched;
  private volatile Map<String, Object> lastRollback;

  public PostSwapWatch(
      ServingConfig config, ModelSlot slot, RollbackPublisher publisher, MeterRegistry registry) {
    this.config = config;
    this.slot = slot;
    this.publisher = publisher;
    this.registry = registry;
  }

  void stop(@Observes ShutdownEvent ev) {
    timer.shutdownNow();
  }

  /** Starts watching {@code next}; {@code previous} is kept warm until the window closes. */
  public synchronized void start(ServedModel next, ServedModel previous) {
    long windowMillis = config.watch().window().toMillis();
    if (windowMillis <= 0 || previous == null) {
      return;
    }
    Watched w = new Watched(next, previous, Instant.now().plusMillis(windowMillis));
    watched = w;
    timer.schedule(() -> close(w), windowMillis, TimeUnit.MILLISECONDS);
  }

  /** Records the outcome of one request answered (or failed) by {@code model}. */
  public void record(ServedModel model, boolean ok, long latencyMillis) {
    Map<String, Double> evidence;
    Watched w;
    synchronized (this) {
      w = watched;
      if (w == null || w.model != model) {
        return;
      }
      w.latencies.add(latencyMillis);
      if (!ok) {
        w.errors++;
      }
      evidence = breach(w);
      if (evidence == null) {
        return;
      }
      watched = null;
    }
    rollBack(w, evidence);
  }

  /** The evidence when the watched model breaks a threshold, else null. */
  private Map<String, Double> breach(Watched w) {
    int n = w.latencies.size();
    if (n < config.watch().minSamples()) {
      return null;
    }
    double errorRate = (double) w.errors / n;
    long p99 = p99(w.latencies);
    boolean bad =
        errorRate > config.watch().maxErrorRate() || p99 > config.watch().maxP99().toMillis();
    if (!bad) {
      return null;
    }
    Map<String, Double> e = new LinkedHashMap<>();
    e.put("errorRate", errorRate);
    e.put("p99Millis", (double) p99);
    e.put("samples", (double) n);
    e.put("errors", (double) w.errors);
    e.put("maxErrorRate", config.watch().maxErrorRate());
    e.put("maxP99Millis", (double) config.watch().maxP99().toMillis());
    e.put("previousVersion", (double) w.previous.identity().version());
    return e;
  }

  private void rollBack(Watched w, Map<String, Double> evidence) {
    ModelIdentity bad = w.model.identity();
    if (slot.rollBack(w.model).isEmpty()) {
      return; // another swap already replaced it
    }
    String reason =
        String.format(
            "post-swap watch: %s broke a threshold (error rate %.3f, p99 %.0f ms over %.0f requests)",
            bad.label(),
            evidence.get("errorRate"),
            evidence.get("p99Millis"),
            evidence.get("samples"));
    LOG.warnf("%s; rolled back to %s", reason, w.previous.identity().label());
    registry
        .counter("conveyor.serving.rollbacks", "version", Long.toString(bad.version()))
        .increment();
    RollbackRequested event =
        new RollbackRequested(
            UUID.randomUUID().toString(),
            bad.name(),
            bad.version(),
            reason,
            evidence,
            "serving-service@" + Replica.id());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("requestId", event.requestId());
    summary.put("fromVersion", bad.version());
    summary.put("toVersion", w.previous.identity().version());
    summary.put("at", Instant.now().toString());
    summary.put("evidence", evidence);
    lastRollback = summary;
    publisher.publish(event, bad);
  }

  private synchronized void close(Watched w) {
    if (watched == w) {
      watched = null;
    }
    slot.releasePrevious(w.previous);
  }

  /** The watch state for the models endpoint. */
  public synchronized Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    Watched w = watched;
    if (w != null) {
      s.put("watching", w.model.identity().version());
      s.put("until", w.until.toString());
      s.put("samples", w.latencies.size());
      s.put("errors", w.errors);
      s.put("p99Millis", w.latencies.isEmpty() ? null : p99(w.latencies));
    }
    if (lastRollback != null) {
      s.put("lastRollback", lastRollback);
    }
    return s;
  }

  static long p99(List<Long> latencies) {
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    int idx = (int) Math.ceil(0.99 * sorted.size()) - 1;
    return sorted.get(Math.max(0, idx));
  }

  private static final class Watched {
    final ServedModel model;
    final ServedModel previous;
    final Instant until;
    final List<Long> latencies = new ArrayList<>();
    int errors;

    Watched(ServedModel model, ServedModel previous, Instant until) {
      this.model = model;
      this.previous = previous;
      this.until = until;
    }
  }
}
