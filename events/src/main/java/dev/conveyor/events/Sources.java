package dev.conveyor.events;

/** CloudEvents {@code source} values, one per producer. */
public final class Sources {
  public static final String INGEST = "/conveyor/ingest-service";
  public static final String TRAINER = "/conveyor/trainer-service";
  public static final String EVALUATOR = "/conveyor/evaluator-service";
  public static final String REGISTRY = "/conveyor/registry-service";
  public static final String SERVING = "/conveyor/serving-service";
  public static final String CLI = "/conveyor/cli";

  private Sources() {}
}
