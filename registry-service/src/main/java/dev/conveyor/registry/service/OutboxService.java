package dev.conveyor.registry.service;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.conveyor.events.CloudEventMeta;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.events.Sources;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.OutgoingEvents;
import dev.conveyor.registry.config.RegistryConfig;
import dev.conveyor.registry.repository.Columns;
import dev.conveyor.registry.repository.OutboxEntity;
import dev.conveyor.registry.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The transactional outbox. {@link #append} writes an event in the caller's transaction; the relay
 * publishes committed rows in order: triggered after every commit that wrote one and polled on a
 * schedule (so rows left by a crash go out after restart). Each row is sent with its own id as the
 * CloudEvents id and marked published only after the broker acknowledged it; rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so several instances never publish the same row at once.
 */
@ApplicationScoped
public class OutboxService {
  private static final Logger LOG = Logger.getLogger(OutboxService.class);
  private static final TypeReference<Map<String, String>> EXTENSIONS = new TypeReference<>() {};

  private final Mutiny.SessionFactory sf;
  private final OutboxRepository outbox;
  private final Emitter<String> emitter;
  private final Vertx vertx;
  private final boolean enabled;
  private final int batchSize;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  public OutboxService(
      Mutiny.SessionFactory sf,
      OutboxRepository outbox,
      @Channel(Topics.MODEL_PROMOTED) Emitter<String> emitter,
      Vertx vertx,
      RegistryConfig config) {
    this.sf = sf;
    this.outbox = outbox;
    this.emitter = emitter;
    this.vertx = vertx;
    this.enabled = config.outbox().relayEnabled();
    this.batchSize = config.outbox().batchSize();
    if (!enabled) {
      LOG.warn(
          "outbox relay disabled (conveyor.registry.outbox.relay-enabled=false):"
              + " model-promoted events stay in the outbox");
    }
  }

  /**
   * Writes a model-promoted event to the outbox in the caller's transaction, with {@code eventId}
   * as its CloudEvents id; the relay publishes it after the commit.
   */
  public Uni<Void> append(
      Mutiny.Session s, String eventId, ModelPromoted data, Map<String, String> extensions) {
    OutboxEntity o = new OutboxEntity();
    o.eventId = eventId;
    o.topic = Topics.MODEL_PROMOTED;
    o.eventKey = data.key();
    o.ceType = EventTypes.MODEL_PROMOTED.ceType();
    o.payload = EventCodec.encode(data);
    o.extensions = Columns.json(extensions);
    o.createdAt = data.promotedAt();
    o.attempts = 0;
    return s.persist(o);
  }

  /** Polls for rows a trigger missed (e.g. written before a crash). */
  @Scheduled(
      every = "${conveyor.registry.outbox.poll-interval:" + RegistryConfig.POLL_INTERVAL + "}",
      delayed = "${conveyor.registry.outbox.poll-delay:" + RegistryConfig.POLL_DELAY + "}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> poll() {
    return drain();
  }

  /** Publishes soon, on a fresh Vert.x context; called after commits that wrote outbox rows. */
  public void trigger() {
    if (!enabled) {
      return;
    }
    Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(ctx, true);
    ctx.runOnContext(
        v -> drain().subscribe().with(ok -> {}, e -> LOG.warnf("outbox relay: %s", e.toString())));
  }

  /** Publishes every unpublished row; one drain at a time in this process. */
  public Uni<Void> drain() {
    if (!enabled) {
      return Uni.createFrom().voidItem();
    }
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return Uni.createFrom().voidItem();
    }
    again.set(false);
    return Uni.createFrom()
        .deferred(this::loop)
        .onTermination()
        .invoke(
            () -> {
              running.set(false);
              if (again.getAndSet(false)) {
                trigger();
              }
            });
  }

  private Uni<Void> loop() {
    return publishBatch().chain(n -> n < batchSize ? Uni.createFrom().voidItem() : loop());
  }

  /** Claims up to one batch, sends it, waits for every ack, marks the rows published. */
  private Uni<Integer> publishBatch() {
    Context ctx = Vertx.currentContext();
    Executor onContext = ctx == null ? Runnable::run : r -> ctx.runOnContext(v -> r.run());
    return sf.withTransaction(
        s ->
            outbox
                .claim(s, batchSize)
                .chain(
                    rows -> {
                      if (rows.isEmpty()) {
                        return Uni.createFrom().item(0);
                      }
                      List<Uni<Void>> acks = new ArrayList<>();
                      for (OutboxEntity row : rows) {
                        acks.add(send(row));
                      }
                      return Uni.join()
                          .all(acks)
                          .andCollectFailures()
                          .emitOn(onContext)
                          .map(
                              done -> {
                                Instant at = Columns.now();
                                for (OutboxEntity row : rows) {
                                  row.publishedAt = at;
                                  row.attempts++;
                                }
                                LOG.debugf("outbox: published %d event(s)", rows.size());
                                return rows.size();
                              });
                    }));
  }

  private Uni<Void> send(OutboxEntity row) {
    ModelPromoted data = EventCodec.decode(EventTypes.MODEL_PROMOTED, row.payload);
    Map<String, String> ext;
    try {
      ext = EventCodec.mapper().readValue(row.extensions, EXTENSIONS);
    } catch (Exception e) {
      throw new IllegalStateException("outbox row " + row.eventId + ": bad extensions", e);
    }
    CloudEventMeta meta =
        new CloudEventMeta(row.eventId, Sources.REGISTRY, row.ceType, row.createdAt, null, ext);
    CompletableFuture<Void> acked = new CompletableFuture<>();
    Message<String> message =
        OutgoingEvents.message(data, meta)
            .withAck(
                () -> {
                  acked.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                e -> {
                  acked.completeExceptionally(e);
                  return CompletableFuture.completedFuture(null);
                });
    emitter.send(message);
    return Uni.createFrom().completionStage(acked);
  }
}
