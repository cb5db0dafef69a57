package dev.conveyor.systemtests;

import dev.conveyor.cli.system.ConveyorSystem;
import dev.conveyor.cli.system.EventLog;
import dev.conveyor.cli.system.Http;
import dev.conveyor.cli.system.ServiceSpec;
import dev.conveyor.cli.system.SystemClient;
import dev.conveyor.events.Topics;
import java.util.Map;
import java.util.TreeMap;

/** What the system has made so far: events by distinct id, versions, champion, served model. */
record Snapshot(
    Map<String, Long> distinctEvents,
    long datasetVersions,
    long registryVersions,
    long champion,
    long served) {

  static Snapshot take(EventLog log, SystemClient client, ConveyorSystem system) throws Exception {
    Map<String, Long> events = new TreeMap<>();
    for (String topic : Topics.ALL) {
      events.put(topic, log.distinctIds(topic));
    }
    String registry = system.url(ServiceSpec.REGISTRY);
    long versions = Http.get(registry + "/models/qa/versions", null).json().size();
    long champion =
        Http.get(registry + "/models/qa/aliases/champion", null).json().path("version").asLong();
    long datasets = client.dataset("qa", null).version();
    long served = client.generate("Who keeps the inn?", 4).path("model").path("version").asLong();
    return new Snapshot(events, datasets, versions, champion, served);
  }
}
