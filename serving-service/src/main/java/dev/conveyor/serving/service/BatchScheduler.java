package dev.conveyor.serving.service;

import dev.conveyor.model.generate.Completion;
import dev.conveyor.model.generate.GenerationOptions;
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
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Dynamic batching: one decode thread takes the first waiting request, waits up to {@code max-wait}
 * for more (up to {@code max-batch-size}) and decodes them together with the model module's batched
 * KV-cache generation. Each batch leases the model that is current when it starts, so a swap never
 * interrupts running requests.
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
  private volatile boolean running = true;
  // requests in the last batch plus those that queued up meanwhile (only the batch thread uses it)
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
            .description("requests decoded together")
            .register(registry);
    this.generatedTokens = Counter.builder("conveyor.serving.tokens.generated").register(registry);
    registry.gaugeCollectionSize("conveyor.serving.queue.depth", List.of(), queue);
  }

  void start(@Observes StartupEvent ev) {
    worker = new Thread(this::loop, "serving-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  void stop(@Observes ShutdownEvent ev) {
    running = false;
    if (worker != null) {
      worker.interrupt();
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

  /** Requests waiting for a batch. */
  public int queued() {
    return queue.size();
  }

  private void loop() {
    while (running) {
      try {
        List<GenerationTask> batch = nextBatch();
        if (!batch.isEmpty()) {
          decode(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("batch loop failed; continuing", e);
      }
    }
  }

  private List<GenerationTask> nextBatch() throws InterruptedException {
    List<GenerationTask> batch = new ArrayList<>();
    GenerationTask first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) {
      return batch;
    }
    addLive(batch, first);
    int max = config.batching().enabled() ? config.batching().maxBatchSize() : 1;
    // wait for company only when recent demand says more requests are on their way: clients that
    // just got their answers send the next request a few ms later, and without waiting for them
    // a closed-loop load splits into half-full batches that stay out of phase
    int target = Math.min(max, demand);
    long deadline = System.nanoTime() + config.batching().maxWait().toNanos();
    while (batch.size() < max) {
      GenerationTask next = queue.poll();
      if (next == null) {
        long left = deadline - System.nanoTime();
        if (batch.size() >= target || left <= 0) {
          break;
        }
        next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          break;
        }
      }
      addLive(batch, next);
    }
    return batch;
  }

  private static void addLive(List<GenerationTask> batch, GenerationTask t) {
    if (!t.result().isDone()) { // timed out or cancelled while waiting: not worth decoding
      batch.add(t);
    }
  }

  private void decode(List<GenerationTask> batch) {
    ServedModel served = slot.lease();
    if (served == null) {
      batch.forEach(t -> t.result().completeExceptionally(ServingException.noModel()));
      return;
    }
    long start = System.nanoTime();
    try {
      List<String> prompts = batch.stream().map(GenerationTask::prompt).toList();
      List<GenerationOptions> options = batch.stream().map(GenerationTask::options).toList();
      List<Completion> out =
          served.model().complete(prompts, options, (i, id, delta) -> batch.get(i).onToken(delta));
      long end = System.nanoTime();
      batchSizes.record(batch.size());
      demand = Math.max(1, batch.size() + queue.size());
      for (int i = 0; i < batch.size(); i++) {
        finish(batch.get(i), out.get(i), served, start, end, batch.size());
      }
    } catch (RuntimeException e) {
      long end = System.nanoTime();
      LOG.errorf(e, "decoding a batch of %d on %s failed", batch.size(), served.identity().label());
      for (GenerationTask t : batch) {
        t.result().completeExceptionally(e);
        long latency = (end - t.enqueuedNanos()) / 1_000_000;
        watch.record(served, false, latency);
        count("error", served.identity());
      }
    } finally {
      served.release();
    }
  }

  private void finish(
      GenerationTask t, Completion c, ServedModel served, long start, long end, int size) {
    long latency = (end - t.enqueuedNanos()) / 1_000_000;
    GenerationResult r =
        new GenerationResult(
            c.text(),
            switch (c.finishReason()) {
              case STOP -> "stop";
              case MAX_TOKENS -> "length";
              case CONTEXT_LENGTH -> "context_length";
            },
            c.promptTokens(),
            c.completionTokens(),
            served.identity(),
            Math.max(0, (start - t.enqueuedNanos()) / 1_000_000),
            latency,
            size);
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
