package dev.conveyor.cli.system;

import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.Ports;
import dev.conveyor.localstack.ServiceProcess;
import dev.conveyor.localstack.StackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The whole local system: the stack (Kafka, PostgreSQL, S3, demo feed) in this JVM and the five
 * services as child processes, each with its own log and working directory under the data
 * directory. {@code conveyor up} and the end-to-end tests use this same code.
 */
public final class ConveyorSystem implements AutoCloseable {
  /** Service URLs and the Kafka bootstrap for the other commands (no secrets). */
  public static final String ENV_FILE = "conveyor.env";

  private static final String PIDS_FILE = "services.pids";

  private final Path home;
  private final Path dataDir;
  private final LocalStack stack;
  private final Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
  private final Map<ServiceSpec, ServiceProcess> running = new LinkedHashMap<>();
  private final List<String> notices = new ArrayList<>();
  private final Map<String, String> extraEnv;
  private final Map<ServiceSpec, Map<String, String>> properties = new LinkedHashMap<>();

  private ConveyorSystem(Path home, Path dataDir, LocalStack stack, Map<String, String> extraEnv) {
    this.home = home;
    this.dataDir = dataDir;
    this.stack = stack;
    this.extraEnv = Map.copyOf(extraEnv);
  }

  /**
   * A system not yet started; {@code home} is the checkout holding the services' builds, {@code
   * extraEnv} is added to every service (e.g. test tuning).
   */
  public static ConveyorSystem create(
      Path home, StackOptions options, Map<String, String> extraEnv) {
    return new ConveyorSystem(home, options.dataDir(), LocalStack.create(options), extraEnv)
        // besides the demo feed (ingest's default), a drop box: files put under
        // s3://inbox/drop/qa/ become the next version of dataset qa
        .withProperties(
            ServiceSpec.INGEST,
            Map.of(
                "conveyor.ingest.sources.inbox.type", "s3",
                "conveyor.ingest.sources.inbox.bucket", "inbox",
                "conveyor.ingest.sources.inbox.prefix", "drop/qa/",
                "conveyor.ingest.sources.inbox.dataset", "qa"));
  }

  /** Extra (non-secret) config of one service as system properties, e.g. a test's tuning. */
  public ConveyorSystem withProperties(ServiceSpec spec, Map<String, String> props) {
    properties.computeIfAbsent(spec, s -> new LinkedHashMap<>()).putAll(props);
    return this;
  }

  /** Starts the stack, after killing services orphaned by an earlier {@code kill -9} of up. */
  public void startStack() throws Exception {
    reapOrphans();
    stack.start();
  }

  /** Starts all five services in parallel; waits until each is up (serving: live, no model). */
  public void startServices(Duration timeout, Consumer<ServiceProcess> onUp) throws Exception {
    for (ServiceSpec spec : ServiceSpec.all()) {
      start(spec);
    }
    ExecutorService pool = Executors.newFixedThreadPool(ServiceSpec.all().size());
    try {
      List<Future<?>> waits = new ArrayList<>();
      for (ServiceProcess p : List.copyOf(running.values())) {
        waits.add(
            pool.submit(
                () -> {
                  awaitUp(p, timeout);
                  onUp.accept(p);
                  return null;
                }));
      }
      for (Future<?> w : waits) {
        try {
          w.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Readiness for services that are ready without a model; liveness for serving. */
  public static void awaitUp(ServiceProcess p, Duration timeout) throws Exception {
    if (p.name().equals(ServiceSpec.SERVING.name())) {
      p.awaitLive(timeout);
    } else {
      p.awaitReady(timeout);
    }
  }

  /** Starts (or restarts) one service on its port; the port stays the same across restarts. */
  public synchronized ServiceProcess start(ServiceSpec spec) throws IOException {
    ServiceProcess old = running.get(spec);
    if (old != null && old.alive()) {
      throw new IllegalStateException(spec.name() + " is already running (pid " + old.pid() + ")");
    }
    int port =
        ports.computeIfAbsent(
            spec,
            s -> {
              int chosen = Ports.choose(s.preferredPort());
              if (chosen != s.preferredPort()) {
                notices.add(
                    s.name() + ": port " + s.preferredPort() + " is in use, using " + chosen);
              }
              return chosen;
            });
    ServiceProcess p =
        ServiceProcess.start(
            spec.name(),
            ServiceProcess.jar(home, spec.name()),
            spec.heapMb(),
            port,
            dataDir.resolve("services").resolve(spec.name()),
            dataDir.resolve("logs").resolve(spec.name() + ".log"),
            serviceEnv(spec),
            jvmArgs(spec));
    running.put(spec, p);
    writePids();
    return p;
  }

  /** {@code kill -9} of one service. */
  public void kill(ServiceSpec spec) throws InterruptedException {
    ServiceProcess p = running.get(spec);
    if (p != null) {
      p.kill();
    }
  }

  public ServiceProcess service(ServiceSpec spec) {
    ServiceProcess p = running.get(spec);
    if (p == null) {
      throw new IllegalStateException(spec.name() + " was not started");
    }
    return p;
  }

  /** The base URL of a service (its port is fixed once chosen). */
  public String url(ServiceSpec spec) {
    Integer port = ports.get(spec);
    if (port == null) {
      throw new IllegalStateException(spec.name() + " was not started");
    }
    return "http://localhost:" + port;
  }

  public LocalStack stack() {
    return stack;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Ports that had to move because something else held them. */
  public List<String> notices() {
    List<String> all = new ArrayList<>(stack.notices());
    all.addAll(notices);
    return all;
  }

  /** Everything a service reads from its environment here: stack endpoints and secrets. */
  Map<String, String> serviceEnv(ServiceSpec spec) {
    Map<String, String> env =
        new LinkedHashMap<>(
            stack.serviceEnv(spec.database() == null ? "postgres" : spec.database()));
    env.put("CONVEYOR_ADMIN_PASSWORD", stack.adminPassword());
    env.put("DJL_CACHE_DIR", dataDir.resolve("djl").toString());
    if (ports.containsKey(ServiceSpec.REGISTRY)) {
      env.put("CONVEYOR_REGISTRY_URL", url(ServiceSpec.REGISTRY));
      env.put("CONVEYOR_SERVING_REGISTRY_URL", url(ServiceSpec.REGISTRY));
    }
    env.putAll(extraEnv);
    return env;
  }

  private List<String> jvmArgs(ServiceSpec spec) {
    List<String> args = new ArrayList<>();
    // a killed service's partitions move to its restarted self in seconds, not 45 s
    args.add("-Dkafka.session.timeout.ms=10000");
    args.add("-Dkafka.heartbeat.interval.ms=2000");
    properties.getOrDefault(spec, Map.of()).forEach((k, v) -> args.add("-D" + k + "=" + v));
    return args;
  }

  /** Writes {@value #ENV_FILE}: URLs and the Kafka bootstrap for feed/train/prompt/events. */
  public Path writeEnvFile() throws IOException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrap());
    vars.put("CONVEYOR_DEMO_FEED_URL", stack.demoFeed().url());
    for (ServiceSpec s : ServiceSpec.all()) {
      if (ports.containsKey(s)) {
        vars.put(s.urlVariable(), url(s));
      }
    }
    StringBuilder sb = new StringBuilder("# written by conveyor up: where the system runs\n");
    vars.forEach((k, v) -> sb.append("export ").append(k).append("='").append(v).append("'\n"));
    Path file = dataDir.resolve(ENV_FILE);
    Files.writeString(file, sb.toString());
    return file;
  }

  private void writePids() throws IOException {
    StringBuilder sb = new StringBuilder();
    running.forEach((s, p) -> sb.append(s.name()).append(' ').append(p.pid()).append('\n'));
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve(PIDS_FILE), sb.toString());
  }

  /** Services left running by an {@code up} that was killed with {@code kill -9}. */
  private void reapOrphans() throws Exception {
    Path file = dataDir.resolve(PIDS_FILE);
    if (!Files.exists(file)) {
      return;
    }
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.trim().split(" ");
      if (parts.length != 2) {
        continue;
      }
      var handle = ProcessHandle.of(Long.parseLong(parts[1]));
      if (handle.isPresent()
          && handle.get().isAlive()
          && handle.get().info().commandLine().orElse("").contains(parts[0])) {
        notices.add("stopped " + parts[0] + " (pid " + parts[1] + ") left by an earlier run");
        handle.get().destroyForcibly();
        handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    Files.delete(file);
  }

  /** Stops the services (SIGTERM, all at once) and then the stack. */
  @Override
  public void close() {
    List<Thread> stops = new ArrayList<>();
    for (ServiceProcess p : running.values()) {
      Thread t =
          new Thread(
              () -> {
                try {
                  p.stop(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "stop-" + p.name());
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      try {
        t.join(45_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    try {
      Files.deleteIfExists(dataDir.resolve(PIDS_FILE));
    } catch (IOException ignored) {
      // only a hint for orphan reaping
    }
    stack.close();
  }
}
