package dev.conveyor.localstack;

import java.util.Map;

/** One piece of real infrastructure the local stack runs. */
interface Component extends AutoCloseable {

  /** Starts it and returns only once a real readiness check has passed. */
  void start() throws Exception;

  /** Configuration a Quarkus service needs to reach it. */
  Map<String, String> serviceConfig();

  /** A human-readable endpoint line for {@code conveyor up}. */
  String describe();

  @Override
  void close();
}
