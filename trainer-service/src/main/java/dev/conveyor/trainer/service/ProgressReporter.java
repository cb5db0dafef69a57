package dev.conveyor.trainer.service;

import dev.conveyor.events.TrainingProgress;
import dev.conveyor.trainer.config.TrainerConfig;
import dev.conveyor.trainer.messaging.TrainerEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Every step updates the run and the metrics; at most every {@code progress-interval} (and at the
 * last step) the same line goes to the log and a {@code training-progress} event.
 */
@ApplicationScoped
public class ProgressReporter {
  private static final Logger LOG = Logger.getLogger(ProgressReporter.class);
  private final TrainerEventPublisher publisher;
  private final TrainerMetrics metrics;
  private final long intervalNanos;

  public ProgressReporter(
      TrainerEventPublisher publisher, TrainerMetrics metrics, TrainerConfig config) {
    this.publisher = publisher;
    this.metrics = metrics;
    this.intervalNanos = config.progressInterval().toNanos();
  }

  void progress(ActiveRun run, dev.conveyor.model.train.TrainingProgress p) {
    long eta = p.eta().toSeconds();
    run.record(p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(), eta);
    metrics.progress(p.step(), p.loss(), p.tokensPerSecond());
    if (run.reportDue(intervalNanos, p.step() == p.totalSteps())) {
      LOG.infof(
          "%s step %d/%d loss %.4f tokens/s %.0f eta %ds",
          run.runId(), p.step(), p.totalSteps(), p.loss(), p.tokensPerSecond(), eta);
      try {
        publisher.progress(
            new TrainingProgress(
                run.runId(),
                run.request().model(),
                p.step(),
                p.totalSteps(),
                p.loss(),
                p.tokensPerSecond(),
                eta));
      } catch (RuntimeException e) {
        // advisory: a full or broken progress channel must never stop a training run
        LOG.debugf("%s: progress event dropped: %s", run.runId(), e.getMessage());
      }
    }
  }
}
