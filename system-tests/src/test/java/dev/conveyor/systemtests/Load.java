package dev.conveyor.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.cli.system.SystemClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Clients calling the generation endpoint in a loop; every failure is kept with its cause. */
final class Load implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, AtomicLong> byVersion = new ConcurrentHashMap<>();
  private final AtomicLong answered = new AtomicLong();
  private volatile boolean running = true;

  static Load start(SystemClient client, String prompt, int clients) {
    Load load = new Load();
    for (int i = 0; i < clients; i++) {
      Thread t =
          new Thread(
              () -> {
                while (load.running) {
                  try {
                    JsonNode a = client.generate(prompt, 16);
                    long v = a.path("model").path("version").asLong(-1);
                    load.byVersion.computeIfAbsent(v, k -> new AtomicLong()).incrementAndGet();
                    load.answered.incrementAndGet();
                  } catch (Exception e) {
                    load.failures.add(e.getMessage());
                  }
                }
              },
              "load-" + i);
      t.start();
      load.threads.add(t);
    }
    return load;
  }

  long answered() {
    return answered.get();
  }

  long answeredBy(long version) {
    AtomicLong n = byVersion.get(version);
    return n == null ? 0 : n.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  void awaitAnswers(long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answered.get() < n) {
      if (System.nanoTime() > deadline || !failures.isEmpty()) {
        throw new AssertionError("load: " + this);
      }
      Thread.sleep(100);
    }
  }

  void awaitVersion(long version, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answeredBy(version) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no answer from v" + version + ": " + this);
      }
      Thread.sleep(100);
    }
  }

  void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(60_000);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  @Override
  public String toString() {
    return "answered " + answered + " by version " + byVersion + ", failures " + failures;
  }
}
