package dev.conveyor.serving.service;

import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.DecodeSession;
import dev.conveyor.serving.config.ServingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Continuous batching: one decode thread steps a running batch ({@code model} module's {@link
 * DecodeSession}) one token at a time. Queued requests join it at the next step (up to {@code
 * max-batch-size} rows), finished ones leave at once and free their row, and a request whose client
 * left or timed out is cancelled and stops costing tokens. When the batch is empty, the first
 * request waits up to {@code max-wait} for the company recent demand says is coming.
 *
 * <p>Each running batch is bound to the model that was current when it started and holds a lease on
 * it: after a swap, new requests start a batch on the new model while the old batch drains on the
 * old one (both are stepped in turn), so a swap never interrupts a request.
 */
@ApplicationScoped
public class BatchScheduler {

  private static final Logger LOG = Logger.getLogger(BatchScheduler.class);

  private final ServingConfig config;
  private final ModelSlot slot;
  private final PostSwapWatch watch;
  private final MeterRegistry registry;
  private final BlockingQueue<GenerationTask> queue;
  private final DistributionSummary batchSizes;
  private final Counter generatedTokens;
  private final Counter cancelledRows;
  // running batches, newest (the current model's) last; only the batch thread touches them
  private final List<Running> running = new ArrayList<>();
  private volatile boolean active = true;
  // rows decoding recently (only the batch thread uses it): how many requests to wait for
  private int demand = 1;
  private Thread worker;

  public BatchScheduler(
      ServingConfig config, ModelSlot slot, PostSwapWatch watch, MeterRegistry registry) {
    this.config = config;
    this.slot = slot;
    this.watch = watch;
    this.registry = registry;
    this.queue = new ArrayBlockingQueue<>(config.limits().queueCapacity());
    this.batchSizes =
        DistributionSummary.builder("conveyor.serving.batch.size")
            .description("rows of the running batch, per decode step")
            .register(registry);
    this.generatedTokens = Counter.builder("conveyor.serving.tokens.generated").register(registry);
    this.cancelledRows =
        Counter.builder("conveyor.serving.requests.cancelled")
            .description("rows removed from the running batch because the client left or timed out")
            .register(registry);
    registry.gaugeCollectionSize("conveyor.serving.queue.depth", List.of(), queue);
  }

  void start(@Observes StartupEvent ev) {
    worker = new Thread(this::loop, "serving-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    active = false;
    if (worker != null) {
      worker.interrupt();
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    slot.clear();
  }

  /**
   * Admits a request.
   *
   * @throws ServingException 503 when no model is loaded, 429 when the queue is full
   */
  public GenerationTask submit(GenerationTask task) {
    if (slot.current().isEmpty()) {
      throw ServingException.noModel();
    }
    if (!queue.offer(task)) {
      count("rejected", null);
      throw ServingException.queueFull(config.limits().queueCapacity());
    }
    return task;
  }

  /** Prompt length in tokens under the current model's tokenizer, or -1 when none is loaded. */
  public int promptTokens(String prompt) {
    ServedModel m = slot.lease();
    if (m == null) {
      return -1;
    }
    try {
      return m.model().promptTokens(prompt);
    } finally {
      m.release();
    }
  }

  /** Requests waiting to join the running batch. */
  public int queued() {
    return queue.size();
  }

  private int maxRows() {
    return config.batching().enabled() ? config.batching().maxBatchSize() : 1;
  }

  private void loop() {
    try {
      while (active) {
        try {
          admit();
          for (Running r : List.copyOf(running)) {
            step(r);
          }
        } catch (RuntimeException e) {
          LOG.error("batch loop failed; continuing", e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Running r : List.copyOf(running)) {
        r.fail(ServingException.noModel(), this);
        close(r);
      }
    }
  }

  /** Moves queued requests into the current model's batch, while it has free rows. */
  private void admit() throws InterruptedException {
    int rows = running.stream().mapToInt(r -> r.tasks.size()).sum();
    if (rows == 0) {
      GenerationTask first = queue.poll(200, TimeUnit.MILLISECONDS);
      if (first == null) {
        return;
      }
      List<GenerationTask> joining = new ArrayList<>();
      addLive(joining, first);
      // wait for company only when recent demand says more requests are on their way: clients
      // that just got their answers send the next request a few ms later
      int target = Math.min(maxRows(), demand);
      long deadline = System.nanoTime() + config.batching().maxWait().toNanos();
      while (joining.size() < target) {
        long left = deadline - System.nanoTime();
        GenerationTask next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
        if (next == null) {
          break;
        }
        addLive(joining, next);
      }
      join(joining);
      return;
    }
    int free = maxRows() - rows;
    if (free > 0 && !queue.isEmpty()) {
      List<GenerationTask> joining = new ArrayList<>();
      while (joining.size() < free) {
        GenerationTask next = queue.poll();
        if (next == null) {
          break;
        }
        addLive(joining, next);
      }
      join(joining);
    }
  }

  private static void addLive(List<GenerationTask> batch, GenerationTask t) {
    if (!t.result().isDone()) { // timed out or cancelled while waiting: not worth decoding
      batch.add(t);
    }
  }

  /** Adds requests to the batch of the current model, starting one if needed. */
  private void join(List<GenerationTask> joining) {
    if (joining.isEmpty()) {
      return;
    }
    Running target = running.isEmpty() ? null : running.get(running.size() - 1);
    ServedModel current = slot.current().orElse(null);
    if (target == null || target.served != current) {
      ServedModel served = slot.lease();
      if (served == null) {
        joining.forEach(t -> t.result().completeExceptionally(ServingException.noModel()));
        return;
      }
      try {
        target = new Running(served, served.model().newSession(maxRows()));
      } catch (RuntimeException e) {
        served.release();
        throw e;
      }
      running.add(target);
    }
    long now = System.nanoTime();
    for (GenerationTask t : joining) {
      long[] prompt = target.served.model().encodePrompt(t.prompt());
      int row = target.session.add(prompt, t.options(), t.streams());
      t.joined(now);
      target.tasks.put(row, t);
    }
  }

  /** One decode step of {@code r}: cancels abandoned rows, then one token for every row. */
  private void step(Running r) {
    for (var e : List.copyOf(r.tasks.entrySet())) {
      GenerationTask t = e.getValue();
      if (t.result().isDone()) { // the client timed out or left: stop decoding for it
        r.session.cancel(e.getKey());
        r.tasks.remove(e.getKey());
        cancelledRows.increment();
        if (t.result().isCancelled()) {
          count("cancelled", r.served.identity()); // the client left: not the model's fault
        } else {
          long latency = (System.nanoTime() - t.enqueuedNanos()) / 1_000_000;
          watch.record(r.served, false, latency); // a timeout counts against the model
          count("timeout", r.served.identity());
        }
      }
    }
    if (!r.tasks.isEmpty()) {
      int size = r.tasks.size();
      List<DecodeSession.Token> tokens;
      try {
        tokens = r.session.step();
      } catch (RuntimeException e) {
        LOG.errorf(e, "decoding %d rows on %s failed", size, r.served.identity().label());
        r.fail(e, this);
        close(r);
        return;
      }
      batchSizes.record(size);
      demand = Math.max(1, size + queue.size());
      long end = System.nanoTime();
      for (DecodeSession.Token tok : tokens) {
        GenerationTask t = r.tasks.get(tok.row());
        if (t == null) {
          continue;
        }
        t.batched(size);
        t.onToken(tok.textDelta());
        if (tok.finished()) {
          r.tasks.remove(tok.row());
          finish(t, tok.completion(), r.served, end);
        }
      }
    }
    // a batch of an older model ends once drained; the current model's one stays open
    if (r.tasks.isEmpty() && (r.served != slot.current().orElse(null) || !active)) {
      close(r);
    }
  }

  private void close(Running r) {
    running.remove(r);
    r.session.close();
    r.served.release();
  }

  /** A batch decoding on one model. */
  private static final class Running {
    final ServedModel served;
    final DecodeSession session;
    final Map<Integer, GenerationTask> tasks = new LinkedHashMap<>();

    Running(ServedModel served, DecodeSession session) {
      this.served = served;
      this.session = session;
    }

    void fail(RuntimeException e, BatchScheduler s) {
      long end = System.nanoTime();
      for (GenerationTask t : tasks.values()) {
        t.result().completeExceptionally(e);
        s.watch.record(served, false, (end - t.enqueuedNanos()) / 1_000_000);
        s.count("error", served.identity());
      }
      tasks.clear();
    }
  }

  private void finish(GenerationTask t, Completion c, ServedModel served, long end) {
    long latency = (end - t.enqueuedNanos()) / 1_000_000;
    GenerationResult r =
        new GenerationResult(
            c.text(),
            switch (c.finishReason()) {
              case STOP -> "stop";
              case MAX_TOKENS -> "length";
              case CONTEXT_LENGTH -> "context_length";
              case CANCELLED -> "cancelled";
            },
            c.promptTokens(),
            c.completionTokens(),
            served.identity(),
            t.queueMillis(),
            latency,
            t.batchSize());
    generatedTokens.increment(c.completionTokens());
    // a request that already timed out counts as a failure of this model
    boolean ok = t.result().complete(r);
    watch.record(served, ok, latency);
    count(ok ? "ok" : "timeout", served.identity());
    if (ok) {
      Timer.builder("conveyor.serving.request.latency")
          .tag("model", served.identity().name())
          .tag("version", Long.toString(served.identity().version()))
          .publishPercentiles(0.5, 0.99)
          .register(registry)
          .record(latency, TimeUnit.MILLISECONDS);
    }
  }

  private void count(String outcome, ModelIdentity model) {
    Counter.builder("conveyor.serving.requests")
        .tag("outcome", outcome)
        .tag("version", model == null ? "none" : Long.toString(model.version()))
        .register(registry)
        .increment();
  }
}
