package dev.conveyor.serving.service;

import dev.conveyor.serving.config.ServingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Hot swap: loads a promoted version off the consumer thread (one at a time), then swaps it in
 * atomically. A model that fails any step is refused and the current one keeps serving.
 */
@ApplicationScoped
public class SwapService {

  private static final Logger LOG = Logger.getLogger(SwapService.class);
  private static final int HISTORY = 20;

  private final ServingConfig config;
  private final ModelSlot slot;
  private final ModelLoader loader;
  private final PostSwapWatch watch;
  private final MeterRegistry registry;
  private final Deque<Map<String, Object>> history = new ArrayDeque<>();
  private final ExecutorService swapper =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "serving-swap");
            t.setDaemon(true);
            return t;
          });

  public SwapService(
      ServingConfig config,
      ModelSlot slot,
      ModelLoader loader,
      PostSwapWatch watch,
      MeterRegistry registry) {
    this.config = config;
    this.slot = slot;
    this.loader = loader;
    this.watch = watch;
    this.registry = registry;
    registry.gauge(
        "conveyor.serving.model.version",
        slot,
        s -> s.current().map(m -> (double) m.identity().version()).orElse(-1.0));
  }

  void stop(@Observes ShutdownEvent ev) {
    swapper.shutdownNow();
  }

  /**
   * Loads and swaps to {@code source}; completes with the outcome, or exceptionally with {@link
   * ModelRefusedException} when the model was refused (the old one keeps serving).
   *
   * @param receivedNanos {@link System#nanoTime()} when the promotion arrived (swap time is
   *     measured from it)
   */
  public CompletableFuture<String> promote(ModelSource source, long receivedNanos) {
    return CompletableFuture.supplyAsync(() -> swap(source, receivedNanos), swapper);
  }

  private String swap(ModelSource source, long receivedNanos) {
    ModelIdentity wanted = source.identity();
    if (!config.modelName().equals(source.model())) {
      return "ignored";
    }
    if (slot.current().map(m -> m.identity().equals(wanted)).orElse(false)) {
      return "already-serving"; // a redelivery, or start-up and the event racing
    }
    if (slot.takePrevious(wanted).isPresent()) {
      swapped(wanted, receivedNanos, "warm", null);
      return "swapped";
    }
    ServedModel next;
    try {
      next = loader.load(source);
    } catch (ModelRefusedException e) {
      refused(wanted, e);
      throw e;
    }
    ServedModel old = slot.swapIn(next, config.watch().window().toMillis() > 0);
    watch.start(next, old);
    swapped(wanted, receivedNanos, old == null ? "initial" : "loaded", next.smokeTest());
    return "swapped";
  }

  private void swapped(ModelIdentity m, long receivedNanos, String how, String smoke) {
    long millis = (System.nanoTime() - receivedNanos) / 1_000_000;
    Timer.builder("conveyor.serving.swap.duration")
        .description("promotion received -> new model serving")
        .register(registry)
        .record(millis, TimeUnit.MILLISECONDS);
    registry.counter("conveyor.serving.swaps", "outcome", "swapped", "step", "none").increment();
    LOG.infof(
        "now serving %s (dataset %s, artifact %s), swapped in %d ms (%s)",
        m.label(), m.datasetDigest(), m.artifactDigest(), millis, how);
    remember(m, "swapped", millis, null, null, smoke);
  }

  private void refused(ModelIdentity m, ModelRefusedException e) {
    registry.counter("conveyor.serving.swaps", "outcome", "refused", "step", e.step()).increment();
    LOG.errorf(
        "refused %s at step %s: %s; still serving %s",
        m.label(),
        e.step(),
        e.getMessage(),
        slot.current().map(s -> s.identity().label()).orElse("nothing"));
    remember(m, "refused", null, e.step(), e.getMessage(), null);
  }

  private synchronized void remember(
      ModelIdentity m, String outcome, Long millis, String step, String reason, String smoke) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("version", m.version());
    h.put("outcome", outcome);
    h.put("at", Instant.now().toString());
    if (millis != null) {
      h.put("swapMillis", millis);
    }
    if (step != null) {
      h.put("step", step);
      h.put("reason", reason);
    }
    if (smoke != null) {
      h.put("smokeTest", smoke);
    }
    history.addFirst(h);
    while (history.size() > HISTORY) {
      history.removeLast();
    }
  }

  /** Recent swaps and refusals, newest first. */
  public synchronized List<Map<String, Object>> history() {
    return List.copyOf(history);
  }
}
