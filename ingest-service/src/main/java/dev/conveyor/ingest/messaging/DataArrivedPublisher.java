package dev.conveyor.ingest.messaging;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.ingest.config.IngestConfig;
import dev.conveyor.ingest.repository.DatasetVersionRepository;
import dev.conveyor.ingest.repository.VersionRow;
import dev.conveyor.messaging.OutgoingEvents;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The outbox relay: publishes data-arrived for every committed version Kafka has not acknowledged,
 * oldest first, right after a commit, shortly after start-up and then periodically. A version is
 * marked published only on the broker's ack; a crash in between re-publishes the same event (same
 * CloudEvents id, same digest), which consumers dedupe.
 */
@ApplicationScoped
public class DataArrivedPublisher {
  private static final Logger LOG = Logger.getLogger(DataArrivedPublisher.class);
  private final Emitter<String> emitter;
  private final DatasetVersionRepository versions;
  private final IngestConfig config;
  private volatile boolean started;

  public DataArrivedPublisher(
      @Channel(Topics.DATA_ARRIVED) Emitter<String> emitter,
      DatasetVersionRepository versions,
      IngestConfig config) {
    this.emitter = emitter;
    this.versions = versions;
    this.config = config;
  }

  /** Reactive Messaging wires its channels in an earlier start-up observer than this one. */
  void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    started = true;
  }

  /** The CloudEvents id of a version's event: stable, so a re-publish is recognisably the same. */
  public static String eventId(DataArrived e) {
    return "data-arrived:"
        + e.dataset()
        + ":v"
        + e.version()
        + ":"
        + e.manifestDigest().substring(7, 23);
  }

  @Scheduled(
      identity = "data-arrived-relay",
      every = "${conveyor.ingest.publish.relay-every:15s}",
      delayed = "${conveyor.ingest.publish.relay-delay:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void relay() {
    // on a slow start the timer fires before the channels are wired; the next tick publishes
    if (!started || config.publish().pauseBeforePublish()) {
      return;
    }
    publishPending();
  }

  /** Publishes every unacknowledged version; returns how many were acknowledged now. */
  public synchronized int publishPending() {
    int done = 0;
    try {
      for (VersionRow row : versions.unpublished()) {
        DataArrived event = EventCodec.decode(EventTypes.DATA_ARRIVED, row.eventJson());
        CloudEventMeta meta =
            new CloudEventMeta(
                    row.eventId(),
                    Sources.INGEST,
                    EventTypes.DATA_ARRIVED.ceType(),
                    row.createdAt(),
                    event.dataset() + "/v" + event.version(),
                    Map.of())
                .withExtension(CloudEventAttributes.DATASET_DIGEST, event.manifestDigest());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> m =
            OutgoingEvents.message(event, meta)
                .withAck(
                    () -> {
                      acked.complete(null);
                      return CompletableFuture.completedFuture(null);
                    })
                .withNack(
                    t -> {
                      acked.completeExceptionally(t);
                      return CompletableFuture.completedFuture(null);
                    });
        emitter.send(m);
        acked.get(config.publish().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        versions.markPublished(row.dataset(), row.version());
        LOG.infof(
            "published data-arrived %s v%d (%s)",
            row.dataset(), row.version(), row.manifestDigest());
        done++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warnf("data-arrived not published yet, the relay retries: %s", e.getMessage());
    }
    return done;
  }
}
