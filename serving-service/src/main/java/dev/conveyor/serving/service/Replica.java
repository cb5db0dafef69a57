package dev.conveyor.serving.service;

import java.util.UUID;

/** This replica's identity: {@code HOSTNAME} (the pod name) or a random id. */
public final class Replica {

  private static final String ID =
      System.getenv().getOrDefault("HOSTNAME", UUID.randomUUID().toString().substring(0, 8));

  private Replica() {}

  /** The replica id. */
  public static String id() {
    return ID;
  }
}
