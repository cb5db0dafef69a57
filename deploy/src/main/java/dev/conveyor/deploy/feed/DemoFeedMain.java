package dev.conveyor.deploy.feed;

import dev.conveyor.localstack.feed.DemoFeedServer;
import dev.conveyor.localstack.feed.DemoWorld;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local stack's demo feed ({@link DemoFeedServer}) on its own, as the {@code demo-feed}
 * image does beside ingest-service in docker-compose and in the local Kubernetes overlay.
 *
 * <p>The feed binds to loopback only, so it runs in ingest-service's network namespace (compose
 * {@code network_mode: service:ingest-service}, a sidecar in the pod), where ingest's default
 * {@code http://127.0.0.1:9600} reaches it. Settings come from the environment: {@code
 * CONVEYOR_DEMO_FEED_DIR} (where the current day is kept), {@code CONVEYOR_DEMO_FEED_PORT} (9600),
 * {@code CONVEYOR_DEMO_FEED_SEED}.
 */
public final class DemoFeedMain {
  private DemoFeedMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(env("CONVEYOR_DEMO_FEED_DIR", "demo-feed"));
    int port = Integer.parseInt(env("CONVEYOR_DEMO_FEED_PORT", "" + DemoFeedServer.DEFAULT_PORT));
    long seed = Long.parseLong(env("CONVEYOR_DEMO_FEED_SEED", "" + DemoWorld.DEFAULT_SEED));
    DemoFeedServer feed = new DemoFeedServer(dir, port, new DemoWorld(seed));
    feed.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  feed.close();
                  stopped.countDown();
                },
                "demo-feed-stop"));
    System.out.println(
        "demo feed serving " + feed.url() + "/feed/qa.jsonl, day " + feed.day() + ", seed " + seed);
    stopped.await();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
