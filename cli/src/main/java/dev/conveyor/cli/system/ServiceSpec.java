package dev.conveyor.cli.system;

import java.util.List;

/**
 * One of the five services as {@code conveyor up} runs it: module name (= app, image and Deployment
 * name), preferred HTTP port, its PostgreSQL database (null if none) and heap limit.
 */
public record ServiceSpec(String name, int preferredPort, String database, int heapMb) {
  public static final ServiceSpec INGEST = new ServiceSpec("ingest-service", 8081, "ingest", 512);
  public static final ServiceSpec TRAINER = new ServiceSpec("trainer-service", 8082, null, 1024);
  public static final ServiceSpec REGISTRY =
      new ServiceSpec("registry-service", 8083, "registry", 512);
  public static final ServiceSpec SERVING = new ServiceSpec("serving-service", 8084, null, 1024);
  public static final ServiceSpec EVALUATOR =
      new ServiceSpec("evaluator-service", 8085, null, 1024);

  /** All five, in start order: the registry first, because evaluator and serving ask it. */
  public static List<ServiceSpec> all() {
    return List.of(REGISTRY, INGEST, TRAINER, EVALUATOR, SERVING);
  }

  /** The spec named {@code name}, e.g. {@code trainer-service} or {@code trainer}. */
  public static ServiceSpec named(String name) {
    for (ServiceSpec s : all()) {
      if (s.name().equals(name) || s.name().equals(name + "-service")) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown service '"
            + name
            + "' (known: "
            + String.join(", ", all().stream().map(ServiceSpec::name).toList())
            + ")");
  }

  /** The env-var prefix of its URL in {@code conveyor.env}, e.g. {@code CONVEYOR_TRAINER_URL}. */
  public String urlVariable() {
    return "CONVEYOR_" + name.replace("-service", "").toUpperCase() + "_URL";
  }
}
