package dev.conveyor.evaluator.messaging;

import dev.conveyor.evaluator.service.ChampionService;
import dev.conveyor.evaluator.service.GateService;
import dev.conveyor.evaluator.service.RetrainPolicyService;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.messaging.IncomingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes model-trained (the gate), data-arrived (the retrain policy) and model-promoted (who the
 * champion is). Handlers only parse and hand the work to {@link EvaluationWorker}; the record is
 * acknowledged (its offset committed) when the work has published, and nacked (to the DLQ) when it
 * fails.
 */
@ApplicationScoped
public class EvaluationListener {
  private final EvaluationWorker worker;
  private final GateService gate;
  private final RetrainPolicyService policy;
  private final ChampionService champions;

  public EvaluationListener(
      EvaluationWorker worker,
      GateService gate,
      RetrainPolicyService policy,
      ChampionService champions) {
    this.worker = worker;
    this.gate = gate;
    this.policy = policy;
    this.champions = champions;
  }

  @Incoming(Topics.MODEL_TRAINED)
  public CompletionStage<Void> modelTrained(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.MODEL_TRAINED,
        e -> worker.submit("gate of run " + e.data().runId(), () -> gate.handle(e)));
  }

  @Incoming(Topics.DATA_ARRIVED)
  public CompletionStage<Void> dataArrived(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.DATA_ARRIVED,
        e ->
            worker.submit(
                "retrain policy for " + e.data().dataset() + " v" + e.data().version(),
                () -> policy.handle(e)));
  }

  @Incoming(Topics.MODEL_PROMOTED)
  public CompletionStage<Void> modelPromoted(Message<String> m) {
    return IncomingEvents.handle(
        m,
        EventTypes.MODEL_PROMOTED,
        e ->
            worker.submit(
                "champion tracking of " + e.data().model(), () -> champions.promoted(e.data())));
  }
}
