package dev.conveyor.evaluator.service;

import dev.conveyor.storage.Digests;
import java.nio.charset.StandardCharsets;

/** Deterministic ids: a redelivered event yields the same evaluation and request ids. */
final class Ids {
  private Ids() {}

  static String evaluation(String... parts) {
    return "eval-" + hash(parts);
  }

  static String request(String... parts) {
    return "req-" + hash(parts);
  }

  private static String hash(String... parts) {
    String joined = String.join("\u0000", parts);
    return Digests.of(joined.getBytes(StandardCharsets.UTF_8))
        .substring(Digests.PREFIX.length(), Digests.PREFIX.length() + 16);
  }
}
