package dev.conveyor.registry.service;

import dev.conveyor.events.CloudEventAttributes;
import dev.conveyor.events.ModelPromoted;
import dev.conveyor.registry.repository.AliasMoveEntity;
import dev.conveyor.registry.repository.AliasMoveRepository;
import dev.conveyor.registry.repository.Columns;
import dev.conveyor.registry.repository.ModelVersionEntity;
import dev.conveyor.registry.repository.ModelVersionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The champion alias. Every move, whether a promotion (gate, manual) or a rollback (requested,
 * manual), goes through {@link #promote} or {@link #rollBack} and from there through one write path
 * that appends the move and its {@code model-promoted} outbox row in the caller's transaction. The
 * caller holds the model's lock; callers differ only in what they refuse and how they word it.
 */
@ApplicationScoped
public class AliasService {
  /** The actor of moves the registry makes itself (passed gates). */
  public static final String ACTOR = "registry-service";

  private static final int MAX_NOTE = 4000;
  private static final Logger LOG = Logger.getLogger(AliasService.class);

  private final AliasMoveRepository moves;
  private final ModelVersionRepository versions;
  private final OutboxService outbox;

  public AliasService(
      AliasMoveRepository moves, ModelVersionRepository versions, OutboxService outbox) {
    this.moves = moves;
    this.versions = versions;
    this.outbox = outbox;
  }

  /** Why the champion moves and on whose behalf. */
  public record Cause(
      ModelPromoted.Reason reason,
      String actor,
      String evaluationId,
      String rollbackRequest,
      String note) {

    public static Cause gate(String evaluationId, String note) {
      return new Cause(ModelPromoted.Reason.GATE, ACTOR, evaluationId, null, note);
    }

    public static Cause manual(String actor, String note) {
      return new Cause(ModelPromoted.Reason.MANUAL, actor, null, null, note);
    }

    public static Cause rollback(String actor, String rollbackRequest, String note) {
      return new Cause(ModelPromoted.Reason.ROLLBACK, actor, null, rollbackRequest, note);
    }
  }

  /** The appended move, or why none was made. */
  public record Outcome(AliasMoveEntity move, String refusal) {
    public boolean moved() {
      return move != null;
    }
  }

  /** The champion now and the one a rollback would return to. */
  public record RollbackPlan(AliasMoveEntity current, ModelVersionEntity target) {}

  /** The latest move of the champion alias, or null when there is no champion. */
  public Uni<AliasMoveEntity> champion(Mutiny.Session s, String model) {
    return moves.champion(s, model);
  }

  /**
   * Makes {@code to} the champion unless {@code refuse}, given the current champion's move (null
   * when there is none), returns a reason not to.
   */
  public Uni<Outcome> promote(
      Mutiny.Session s,
      ModelVersionEntity to,
      Cause why,
      Function<AliasMoveEntity, String> refuse) {
    return moves
        .champion(s, to.model)
        .chain(current -> moveUnless(s, current, to, why, refuse.apply(current)));
  }

  /**
   * Moves the champion back to the nearest earlier champion that is still registered unless {@code
   * refuse}, given the plan, returns a reason not to; it must refuse when the plan has no target.
   */
  public Uni<Outcome> rollBack(
      Mutiny.Session s, String model, Cause why, Function<RollbackPlan, String> refuse) {
    return rollbackPlan(s, model)
        .chain(plan -> moveUnless(s, plan.current(), plan.target(), why, refuse.apply(plan)));
  }

  private Uni<Outcome> moveUnless(
      Mutiny.Session s, AliasMoveEntity current, ModelVersionEntity to, Cause why, String refusal) {
    if (refusal != null) {
      return Uni.createFrom().item(new Outcome(null, refusal));
    }
    if (to == null) {
      throw new IllegalStateException("a " + why.reason().wire() + " move without a target");
    }
    return move(s, current, to, why).map(m -> new Outcome(m, null));
  }

  /**
   * Replays the alias history as a stack: a promotion pushes its target, a rollback pops back to
   * its target. The rollback target is the nearest version below the top that is still promotable.
   */
  private Uni<RollbackPlan> rollbackPlan(Mutiny.Session s, String model) {
    return moves
        .history(s, model)
        .chain(
            history -> {
              if (history.isEmpty()) {
                return Uni.createFrom().item(new RollbackPlan(null, null));
              }
              List<Long> stack = replay(history);
              AliasMoveEntity current = history.get(history.size() - 1);
              return versions
                  .all(s, model)
                  .map(
                      all -> {
                        Map<Long, ModelVersionEntity> byNumber = new HashMap<>();
                        all.forEach(v -> byNumber.put(v.version, v));
                        for (int i = stack.size() - 2; i >= 0; i--) {
                          ModelVersionEntity candidate = byNumber.get(stack.get(i));
                          if (candidate != null
                              && candidate.promotable()
                              && candidate.version != current.toVersion) {
                            return new RollbackPlan(current, candidate);
                          }
                        }
                        return new RollbackPlan(current, null);
                      });
            });
  }

  /** The champion stack after every move, bottom first. */
  static List<Long> replay(List<AliasMoveEntity> history) {
    List<Long> stack = new ArrayList<>();
    for (AliasMoveEntity m : history) {
      if (ModelPromoted.Reason.ROLLBACK.wire().equals(m.reason)) {
        while (!stack.isEmpty() && stack.get(stack.size() - 1) != m.toVersion) {
          stack.remove(stack.size() - 1);
        }
        if (stack.isEmpty()) {
          stack.add(m.toVersion);
        }
      } else {
        stack.add(m.toVersion);
      }
    }
    return stack;
  }

  /** The one write path: appends an alias move and its model-promoted event to the outbox. */
  private Uni<AliasMoveEntity> move(
      Mutiny.Session s, AliasMoveEntity current, ModelVersionEntity to, Cause why) {
    Instant at = Columns.now();
    AliasMoveEntity m = new AliasMoveEntity();
    m.model = to.model;
    m.alias = AliasMoveRepository.CHAMPION;
    m.fromVersion = current == null ? null : current.toVersion;
    m.toVersion = to.version;
    m.reason = why.reason().wire();
    m.actor = why.actor();
    m.evaluationId = why.evaluationId();
    m.rollbackRequest = why.rollbackRequest();
    m.note =
        why.note() == null || why.note().length() <= MAX_NOTE
            ? why.note()
            : why.note().substring(0, MAX_NOTE);
    m.movedAt = at;
    m.eventId = UUID.randomUUID().toString();
    ModelPromoted data =
        new ModelPromoted(
            to.model,
            to.version,
            m.fromVersion,
            why.reason(),
            why.actor(),
            at,
            to.artifact(),
            to.dataset.digest,
            why.evaluationId());
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put(CloudEventAttributes.MODEL_VERSION, to.model + ":" + to.version);
    ext.put(CloudEventAttributes.DATASET_DIGEST, to.dataset.digest);
    ext.put(CloudEventAttributes.RUN_ID, to.runId);
    LOG.infof(
        "%s: champion %s -> v%d (%s by %s)",
        to.model,
        m.fromVersion == null ? "none" : "v" + m.fromVersion,
        to.version,
        m.reason,
        why.actor());
    return s.persist(m).chain(() -> outbox.append(s, m.eventId, data, ext)).replaceWith(m);
  }
}
