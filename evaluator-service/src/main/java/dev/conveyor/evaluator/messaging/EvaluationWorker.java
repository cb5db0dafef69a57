package dev.conveyor.evaluator.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one thread evaluations run on. Kafka handlers hand work over and return at once; the record
 * is acknowledged when the work completes. One thread because an evaluation already uses every core
 * through libtorch, and because it serialises the idempotency check with the publish.
 */
@ApplicationScoped
public class EvaluationWorker {
  private static final Logger LOG = Logger.getLogger(EvaluationWorker.class);
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "evaluator-worker");
            t.setDaemon(true);
            return t;
          });

  /** Runs {@code work} on the worker thread; a failure is logged, then nacks the record. */
  public CompletionStage<Void> submit(String what, Runnable work) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed; the record goes to the dead-letter topic", what);
            throw e;
          }
        },
        executor);
  }

  @PreDestroy
  void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
