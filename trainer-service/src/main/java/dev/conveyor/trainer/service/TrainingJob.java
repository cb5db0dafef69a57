package dev.conveyor.trainer.service;

import dev.conveyor.events.ArtifactRef;
import dev.conveyor.events.BaseModel;
import dev.conveyor.events.DatasetRef;
import dev.conveyor.events.ModelTrained;
import dev.conveyor.events.TrainRequested;
import dev.conveyor.model.artifact.Archives;
import dev.conveyor.model.artifact.ArtifactInfo;
import dev.conveyor.model.data.Example;
import dev.conveyor.model.nn.ModelConfig;
import dev.conveyor.model.tokenizer.TextTokenizer;
import dev.conveyor.model.train.GptTrainer;
import dev.conveyor.model.train.ProgressListener;
import dev.conveyor.model.train.TrainingProgress;
import dev.conveyor.model.train.TrainingResult;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.StorageException;
import dev.conveyor.storage.StoredObject;
import dev.conveyor.storage.dataset.DatasetReader;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
import dev.conveyor.trainer.repository.CheckpointRepository;
import dev.conveyor.trainer.repository.RunStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One training run, start to artifact: resolves the dataset view, the base model (scratch or a
 * registry artifact) or the run's last checkpoint, trains with the model module and uploads the
 * archive. All ML is the model module's; this class only wires S3 to it.
 */
@ApplicationScoped
public class TrainingJob {
  /** Name of the artifact archive under {@code runs/<run-id>/} (the model module packs zips). */
  public static final String ARCHIVE = "model.zip";

  private static final Logger LOG = Logger.getLogger(TrainingJob.class);
  private final ObjectStore store;
  private final CheckpointRepository checkpoints;
  private final ProgressReporter reporter;
  private final TrainerMetrics metrics;

  public TrainingJob(
      ObjectStore store,
      CheckpointRepository checkpoints,
      ProgressReporter reporter,
      TrainerMetrics metrics) {
    this.store = store;
    this.checkpoints = checkpoints;
    this.reporter = reporter;
    this.metrics = metrics;
  }

  /** What a finished run produced. */
  public record Output(ArtifactRef artifact, ModelTrained.Metrics metrics) {}

  /** Trains {@code run} in {@code workDir} (emptied by the caller) and uploads its artifact. */
  public Output execute(ActiveRun run, Path workDir, long checkpointEveryNanos) throws IOException {
    TrainRequested req = run.request();
    List<Example> examples = examples(req.dataset());
    Path ckptDir = workDir.resolve("checkpoints");
    long t0 = System.nanoTime();
    LoopTime loop = new LoopTime();
    try (GptTrainer trainer = open(run, workDir, ckptDir, examples);
        CheckpointUploads uploads =
            new CheckpointUploads(
                run.runId(),
                checkpoints,
                workDir.resolve("upload-staging"),
                step -> {
                  metrics.checkpoint();
                  LOG.infof("%s: checkpoint at step %d uploaded", run.runId(), step);
                })) {
      ProgressListener listener =
          new ProgressListener() {
            @Override
            public void onProgress(TrainingProgress p) {
              long start = System.nanoTime();
              reporter.progress(run, p);
              boolean scheduled =
                  run.config().training().checkpointInterval() > 0
                      && p.step() % run.config().training().checkpointInterval() == 0;
              if (!scheduled
                  && p.step() < p.totalSteps()
                  && run.checkpointDue(checkpointEveryNanos)) {
                long written = System.nanoTime();
                try {
                  trainer.checkpoint(this); // time-based: the step counter alone may be too slow
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                loop.timedCheckpoints += System.nanoTime() - written;
              }
              loop.progress += System.nanoTime() - start;
              loop.steps++;
            }

            @Override
            public void onCheckpoint(long step, Path directory) {
              long start = System.nanoTime();
              run.checkpointed();
              // only a snapshot here: the upload runs on its own thread (CheckpointUploads)
              uploads.submit(step, ckptDir, directory);
              loop.handOff += System.nanoTime() - start;
            }
          };
      TrainingResult result = trainer.train(examples, listener, run::cancelled);
      LOG.info(loop.describe(run.runId(), result.elapsed().toNanos()));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      ModelTrained.Metrics m =
          new ModelTrained.Metrics(
              result.finalLoss(), result.steps(), result.tokensPerSecond(), millis);
      return new Output(export(run, trainer, m, workDir), m);
    }
  }

  /**
   * Time the service itself spends on the training thread, inside {@code train()}: what it adds to
   * the model module's loop (the benchmark reads the log line).
   */
  static final class LoopTime {
    long steps;
    long progress; // progress bookkeeping, metrics, throttled log line and event
    long timedCheckpoints; // checkpoints the wall clock asked for (part of progress)
    long handOff; // checkpoint snapshots handed to the upload thread

    String describe(String runId, long trainNanos) {
      long own = progress + handOff;
      return String.format(
          java.util.Locale.ROOT,
          "%s: service time on the training thread %.1f ms of %.1f s in train() (%.3f%%) over %d"
              + " steps: progress %.1f ms (time-based checkpoints %.1f ms), checkpoint hand-off"
              + " %.1f ms",
          runId,
          own / 1e6,
          trainNanos / 1e9,
          trainNanos > 0 ? 100.0 * own / trainNanos : 0,
          steps,
          progress / 1e6,
          timedCheckpoints / 1e6,
          handOff / 1e6);
    }
  }

  private GptTrainer open(ActiveRun run, Path workDir, Path ckptDir, List<Example> examples)
      throws IOException {
    TrainRequested req = run.request();
    if (checkpoints.restore(run.runId(), ckptDir)) {
      GptTrainer t = GptTrainer.resume(ckptDir);
      run.restore(t.step(), t.losses());
      LOG.infof("resuming %s from step %d of %d", run.runId(), t.step(), t.config().steps());
      return t;
    }
    GptTrainer t;
    if (req.baseModel().kind() == BaseModel.Kind.SCRATCH) {
      try (TextTokenizer tok =
          TextTokenizer.train(
              tokenizerTexts(examples),
              run.config().architecture().vocabSize(),
              workDir.resolve("tokenizer.json"))) {
        ModelConfig mc = run.config().architecture();
        ModelConfig arch =
            new ModelConfig(
                tok.vocabSize(),
                mc.contextLength(),
                mc.layers(),
                mc.heads(),
                mc.width(),
                mc.dropout());
        t = GptTrainer.fromScratch(arch, tok, run.config().training());
      }
      LOG.infof("starting %s from scratch (%d examples)", run.runId(), examples.size());
    } else {
      Path base = downloadBase(req.baseModel().artifact(), workDir);
      t = GptTrainer.fineTune(base, run.config().training());
      LOG.infof("starting %s as a fine-tune of %s", run.runId(), req.baseModel().artifact().uri());
    }
    t.setCheckpointDirectory(ckptDir);
    return t;
  }

  private List<Example> examples(DatasetRef ref) {
    DatasetView view;
    try {
      view = new DatasetReader(store).view(ref.name(), ref.version(), ref.digest());
    } catch (StorageException | IllegalArgumentException e) {
      throw new RunFailedException(
          "bad data: dataset " + ref.name() + " v" + ref.version() + ": " + e.getMessage(), e);
    }
    List<Example> out = new ArrayList<>(view.train().size());
    for (DatasetRecord r : view.train()) {
      try {
        out.add(r.isQa() ? Example.pair(r.prompt(), r.completion()) : Example.text(r.text()));
      } catch (RuntimeException e) {
        throw new RunFailedException("bad data: record " + r.id() + ": " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new RunFailedException(
          "bad data: dataset " + ref.name() + " v" + ref.version() + " has no train records", null);
    }
    return out;
  }

  private static List<String> tokenizerTexts(List<Example> examples) {
    List<String> texts = new ArrayList<>();
    for (Example e : examples) {
      if (e.isPair()) {
        texts.add(e.prompt());
        texts.add(e.completion());
      } else {
        texts.add(e.text());
      }
    }
    return texts;
  }

  private Path downloadBase(ArtifactRef ref, Path workDir) throws IOException {
    Path archive = workDir.resolve("base.zip");
    StoredObject got;
    try {
      got = store.download(store.keyOf(ref.uri()), archive);
    } catch (StorageException | IllegalArgumentException e) {
      throw new RunFailedException("bad base model: " + e.getMessage(), e);
    }
    if (!got.digest().equals(ref.digest())) {
      throw new RunFailedException(
          "bad base model: " + ref.uri() + " has " + got.digest() + ", expected " + ref.digest(),
          null);
    }
    Path dir = workDir.resolve("base");
    Archives.unpack(archive, dir);
    return dir;
  }

  private ArtifactRef export(ActiveRun run, GptTrainer trainer, ModelTrained.Metrics m, Path dir)
      throws IOException {
    TrainRequested req = run.request();
    Map<String, Double> metricMap = new LinkedHashMap<>();
    metricMap.put("finalLoss", m.finalLoss());
    metricMap.put("steps", (double) m.steps());
    metricMap.put("tokensPerSecond", m.tokensPerSecond());
    metricMap.put("durationMillis", (double) m.durationMillis());
    String base =
        req.baseModel().kind() == BaseModel.Kind.SCRATCH
            ? null
            : req.model()
                + ":"
                + req.baseModel().label()
                + "@"
                + req.baseModel().artifact().digest();
    ArtifactInfo info =
        new ArtifactInfo(
            req.model(),
            run.runId(),
            req.dataset().digest(),
            base,
            run.config().hash(),
            metricMap,
            "dataset " + req.dataset().name() + " v" + req.dataset().version(),
            null,
            req.dataset().name(),
            req.dataset().version());
    Path artifactDir = dir.resolve("artifact");
    trainer.exportArtifact(artifactDir, info);
    Path archive = dir.resolve(ARCHIVE);
    Archives.pack(artifactDir, archive);
    StoredObject stored =
        store.putFile(RunStateRepository.prefix(run.runId()) + ARCHIVE, archive, "application/zip");
    return new ArtifactRef(store.uri(stored.key()), stored.digest(), stored.size());
  }
}
