package dev.conveyor.trainer.service;

import dev.conveyor.events.CloudEvent;
import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.Sources;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.trainer.config.TrainerConfig;
import dev.conveyor.trainer.messaging.TrainerEventPublisher;
import dev.conveyor.trainer.repository.RunState;
import dev.conveyor.trainer.repository.RunStateRepository;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one training job at a time on its own thread. The returned stage completes (and the Kafka
 * offset is committed) only once the run is terminal and its {@code model-trained} is on the
 * broker; until then the consumer keeps polling with the partition paused. See README.
 */
@ApplicationScoped
public class TrainerService {
  private static final Logger LOG = Logger.getLogger(TrainerService.class);
  private final RunConfigLoader configs;
  private final RunStateRepository states;
  private final TrainingJob job;
  private final TrainerEventPublisher publisher;
  private final TrainerMetrics metrics;
  private final TrainerConfig config;
  private final String instanceId;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-job"));
  private final ScheduledExecutorService heart =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "trainer-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final Object stateLock = new Object();
  private volatile ActiveRun active;
  private RunState activeState;
  private volatile boolean stopping;
  private String device;

  public TrainerService(
      RunConfigLoader configs,
      RunStateRepository states,
      TrainingJob job,
      TrainerEventPublisher publisher,
      TrainerMetrics metrics,
      TrainerConfig config) {
    this.configs = configs;
    this.states = states;
    this.job = job;
    this.publisher = publisher;
    this.metrics = metrics;
    this.config = config;
    this.instanceId = config.instanceId().orElseGet(TrainerService::hostName);
  }

  /** Queues the request; the stage completes when it needs no more work from this instance. */
  public CompletionStage<Void> accept(CloudEvent<TrainRequested> event) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      worker.execute(
          () -> {
            try {
              if (handle(event)) {
                done.complete(null);
              }
            } catch (Throwable t) {
              if (!stopping) {
                done.completeExceptionally(t);
              }
            }
          });
    } catch (RejectedExecutionException stoppingNow) {
      LOG.infof("shutting down: request %s stays uncommitted", event.data().requestId());
    }
    return done; // left incomplete on shutdown: the offset is not committed, Kafka redelivers
  }

  /**
   * The run a request maps to, derived as {@link #handle} derives it (merged config for this
   * instance's device; the hash excludes the device).
   *
   * @throws InvalidConfigException naming an unknown key or a bad value
   */
  public String runIdOf(TrainRequested req) {
    RunConfig cfg = configs.resolve(req.model(), req.config(), device());
    return RunIdentity.runId(req.model(), req.dataset().digest(), req.baseModel(), cfg.hash());
  }

  /** Returns false when shutting down (the request must stay uncommitted). */
  private boolean handle(CloudEvent<TrainRequested> event) throws Exception {
    if (stopping) {
      return false;
    }
    TrainRequested req = event.data();
    RunConfig cfg = null;
    InvalidConfigException bad = null;
    try {
      cfg = configs.resolve(req.model(), req.config(), device());
    } catch (InvalidConfigException e) {
      bad = e;
    }
    String hash = cfg != null ? cfg.hash() : configs.rawHash(req.model(), req.config());
    String runId = RunIdentity.runId(req.model(), req.dataset().digest(), req.baseModel(), hash);
    Optional<RunState> existing = states.find(runId);
    if (existing.isPresent() && existing.get().status().terminal()) {
      LOG.infof(
          "%s is already %s: re-publishing its model-trained (request %s)",
          runId, existing.get().status(), req.requestId());
      publisher
          .modelTrained(existing.get().result(), existing.get().resultMeta())
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      return true;
    }
    if (existing.isPresent() && ownedElsewhere(existing.get())) {
      existing = awaitOwner(runId, existing.get().owner());
      if (existing == null) {
        return false;
      }
      if (existing.isPresent() && existing.get().status().terminal()) {
        LOG.infof("%s was finished by its owner; nothing to do", runId);
        return true;
      }
    }
    RunState previous = existing.orElse(null);
    int attempts = previous == null ? 1 : previous.attempts() + 1;
    Instant now = Instant.now();
    RunState state =
        new RunState(
            runId,
            RunState.Status.RUNNING,
            req,
            hash,
            cfg == null ? Map.of() : cfg.merged(),
            attempts,
            instanceId,
            previous == null ? now : previous.startedAt(),
            now,
            previous == null ? 0 : previous.step(),
            cfg == null ? 0 : cfg.training().steps(),
            previous == null ? List.of() : previous.losses(),
            null,
            null,
            null);
    if (bad != null) {
      return finish(state, event, failed(req, runId, hash, FailureReasons.of(bad)));
    }
    if (attempts > config.maxAttempts()) {
      String reason =
          "gave up after "
              + config.maxAttempts()
              + " attempts: the trainer stopped during each (killed, e.g. for memory?)";
      return finish(state, event, failed(req, runId, hash, reason));
    }
    return train(state, event, cfg);
  }

  private boolean train(RunState state, CloudEvent<TrainRequested> event, RunConfig cfg) {
    TrainRequested req = event.data();
    String runId = state.runId();
    ActiveRun run = new ActiveRun(runId, event, cfg);
    synchronized (stateLock) {
      states.save(state);
      active = run;
      activeState = state;
    }
    metrics.started();
    LOG.infof(
        "%s: training %s on %s v%d (base %s, attempt %d, device %s, request %s)",
        runId,
        req.model(),
        req.dataset().name(),
        req.dataset().version(),
        req.baseModel().label(),
        state.attempts(),
        cfg.training().device(),
        req.requestId());
    long beat = config.heartbeatInterval().toMillis();
    ScheduledFuture<?> hb =
        heart.scheduleAtFixedRate(() -> heartbeat(run), beat, beat, TimeUnit.MILLISECONDS);
    Path dir = Path.of(config.workDir()).resolve(runId);
    ModelTrained trained;
    try {
      WorkDirs.reset(dir);
      TrainingJob.Output out = job.execute(run, dir, config.checkpointEvery().toNanos());
      trained =
          new ModelTrained(
              runId,
              req.requestId(),
              req.model(),
              out.artifact(),
              req.dataset(),
              req.baseModel(),
              cfg.hash(),
              out.metrics(),
              ModelTrained.Outcome.succeeded());
    } catch (CancellationException e) {
      LOG.infof("%s: stopped at step %d; the next start resumes it", runId, run.step());
      return false;
    } catch (Throwable t) {
      if (run.cancelled()) {
        LOG.infof("%s: stopped (%s); the next start resumes it", runId, t.getMessage());
        return false;
      }
      LOG.warnf(t, "%s failed", runId);
      trained = failed(req, runId, cfg.hash(), FailureReasons.of(t));
    } finally {
      hb.cancel(false);
      WorkDirs.deleteQuietly(dir);
    }
    try {
      return finish(state, event, trained);
    } catch (Exception e) {
      throw new IllegalStateException(runId + ": cannot record the outcome: " + e.getMessage(), e);
    }
  }

  private boolean finish(RunState state, CloudEvent<TrainRequested> event, ModelTrained trained)
      throws Exception {
    CloudEventMeta meta =
        CloudEventMeta.create(EventTypes.MODEL_TRAINED, Sources.TRAINER)
            .withExtension(CloudEventAttributes.RUN_ID, trained.runId())
            .withExtension(CloudEventAttributes.DATASET_DIGEST, trained.dataset().digest())
            .withExtension(CloudEventAttributes.TRACEPARENT, event.meta().traceparent());
    synchronized (stateLock) {
      RunState last = state;
      ActiveRun run = active;
      if (run != null && run.runId().equals(state.runId())) {
        last = activeState.withProgress(Instant.now(), run.step(), run.totalSteps(), run.losses());
      }
      // state first: a crash before the publish re-publishes this very event on redelivery
      states.save(last.finished(trained, meta, Instant.now()));
      active = null;
      activeState = null;
    }
    publisher.modelTrained(trained, meta).toCompletableFuture().get(60, TimeUnit.SECONDS);
    metrics.finished(trained.succeeded() ? "succeeded" : "failed");
    if (trained.succeeded()) {
      LOG.infof(
          "%s succeeded: %d steps, final loss %.4f, artifact %s",
          trained.runId(),
          trained.metrics().steps(),
          trained.metrics().finalLoss(),
          trained.artifact().uri());
    } else {
      LOG.infof("%s failed: %s", trained.runId(), trained.outcome().reason());
    }
    return true;
  }

  private static ModelTrained failed(TrainRequested req, String runId, String hash, String reason) {
    return new ModelTrained(
        runId,
        req.requestId(),
        req.model(),
        null,
        req.dataset(),
        req.baseModel(),
        hash,
        null,
        ModelTrained.Outcome.failed(reason));
  }

  private boolean ownedElsewhere(RunState s) {
    return s.status() == RunState.Status.RUNNING
        && !instanceId.equals(s.owner())
        && s.heartbeatAt() != null
        && s.heartbeatAt().plus(config.leaseTimeout()).isAfter(Instant.now());
  }

  /** Waits while another live instance owns the run; null when shutting down. */
  private Optional<RunState> awaitOwner(String runId, String owner) throws InterruptedException {
    LOG.infof("%s is running on %s: waiting for it to finish or its lease to expire", runId, owner);
    long pause = Math.min(config.leaseTimeout().toMillis() / 4, Duration.ofSeconds(5).toMillis());
    while (!stopping) {
      Optional<RunState> s = states.find(runId);
      if (s.isEmpty() || !ownedElsewhere(s.get())) {
        if (s.isPresent() && !s.get().status().terminal()) {
          LOG.infof("%s: the lease of %s expired; taking the run over", runId, owner);
        }
        return s;
      }
      Thread.sleep(Math.max(50, pause));
    }
    return null;
  }

  private void heartbeat(ActiveRun run) {
    synchronized (stateLock) {
      if (active != run) {
        return;
      }
      activeState =
          activeState.withProgress(Instant.now(), run.step(), run.totalSteps(), run.losses());
      try {
        states.save(activeState);
      } catch (RuntimeException e) {
        LOG.warnf("%s: heartbeat not saved: %s", run.runId(), e.getMessage());
      }
    }
  }

  /** The run this instance is training, if any. */
  public Optional<ActiveRun> active() {
    return Optional.ofNullable(active);
  }

  /** This instance's owner name in run states. */
  public String instanceId() {
    return instanceId;
  }

  private synchronized String device() {
    if (device == null) {
      device = Devices.resolve(config.device());
      LOG.infof("training device: %s (configured %s)", device, config.device());
    }
    return device;
  }

  void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
    stopping = true;
    ActiveRun run = active;
    if (run != null) {
      run.cancel(); // the model module checkpoints on cancel; the checkpoint goes to S3
    }
    worker.shutdown();
    if (!worker.awaitTermination(60, TimeUnit.SECONDS)) {
      LOG.warn("the training thread did not stop within 60 s");
    }
    heart.shutdownNow();
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "trainer";
    }
  }
}
