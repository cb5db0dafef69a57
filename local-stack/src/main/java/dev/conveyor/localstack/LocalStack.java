package dev.conveyor.localstack;

import dev.conveyor.localstack.feed.DemoFeedServer;
import dev.conveyor.localstack.feed.DemoWorld;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Real Kafka, PostgreSQL and S3 on loopback with data under one directory: the same code path for
 * tests, {@code conveyor up} and benchmarks.
 */
public final class LocalStack implements AutoCloseable {
  /** Databases created for the services that keep state in PostgreSQL. */
  public static final List<String> DATABASES = List.of("registry", "ingest");

  /** Buckets: {@code conveyor} (datasets, runs, models, reports) and the users' drop box. */
  public static final List<String> BUCKETS = List.of("conveyor", "inbox");

  private final StackOptions options;
  private final List<String> notices = Collections.synchronizedList(new ArrayList<>());
  private FileChannel lockChannel;
  private FileLock lock;
  private KafkaBroker kafka;
  private Postgres postgres;
  private S3Server s3;
  private FeedComponent feed;
  private StackCredentials credentials;
  private long startMillis;

  private LocalStack(StackOptions options) {
    this.options = options;
  }

  /** Starts every component in parallel and returns once all pass their readiness checks. */
  public static LocalStack start(StackOptions options) throws Exception {
    LocalStack stack = create(options);
    stack.start();
    return stack;
  }

  /**
   * A stack not yet started: lets a caller register {@link #close()} (e.g. in a shutdown hook)
   * before {@link #start()}, so Ctrl-C during start-up leaves nothing behind.
   */
  public static LocalStack create(StackOptions options) {
    return new LocalStack(options);
  }

  /** Starts every component in parallel; on failure, stops what did start. */
  public synchronized void start() throws Exception {
    try {
      startAll();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    long t0 = System.nanoTime();
    Path dir = options.dataDir();
    Files.createDirectories(dir);
    if (!Files.isWritable(dir)) {
      throw new IOException("data directory " + dir + " is not writable");
    }
    lockChannel =
        FileChannel.open(
            dir.resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      lock = null;
    }
    if (lock == null) {
      throw new IllegalStateException("another conveyor stack is running on " + dir);
    }
    credentials = StackCredentials.load(dir);
    kafka =
        new KafkaBroker(
            dir.resolve("kafka"),
            port("Kafka", options.kafkaPort()),
            port("Kafka controller", options.kafkaPort() == 0 ? 0 : options.kafkaPort() + 1),
            options.partitions());
    postgres =
        new Postgres(
            dir.resolve("postgres"), port("PostgreSQL", options.postgresPort()), DATABASES);
    s3 = new S3Server(dir.resolve("s3"), port("S3", options.s3Port()), BUCKETS, credentials);
    feed =
        new FeedComponent(
            new DemoFeedServer(
                dir.resolve("feed"),
                port("Demo feed", options.s3Port() == 0 ? 0 : DemoFeedServer.DEFAULT_PORT),
                new DemoWorld(DemoWorld.DEFAULT_SEED)));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (Component c : components()) {
        started.add(
            pool.submit(
                () -> {
                  c.start();
                  return null;
                }));
      }
      for (Future<?> f : started) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    startMillis = (System.nanoTime() - t0) / 1_000_000;
  }

  private int port(String what, int preferred) {
    int chosen = Ports.choose(preferred);
    if (preferred > 0 && chosen != preferred) {
      notices.add(what + ": port " + preferred + " is in use, using " + chosen + " instead");
    }
    return chosen;
  }

  private List<Component> components() {
    return List.of(kafka, postgres, s3, feed);
  }

  /** The demo Q&A feed ({@code conveyor.demo-feed.url}); {@code conveyor feed next-day} uses it. */
  public DemoFeedServer demoFeed() {
    return feed.server;
  }

  /** Kafka bootstrap servers. */
  public String kafkaBootstrap() {
    return kafka.bootstrap();
  }

  /** The JDBC URL of one of {@link #DATABASES} (or {@code postgres}). */
  public String jdbcUrl(String database) {
    return postgres.jdbcUrl(database);
  }

  /** The S3 endpoint URL. */
  public String s3Endpoint() {
    return s3.endpoint();
  }

  /** Everything a Quarkus service needs, for the service that owns {@code database}. */
  public Map<String, String> serviceConfig(String database) {
    Map<String, String> m = new LinkedHashMap<>(kafka.serviceConfig());
    m.putAll(postgres.serviceConfig(database));
    m.putAll(s3.serviceConfig());
    m.putAll(feed.serviceConfig());
    return m;
  }

  /** The same settings as environment variables (MicroProfile Config's env mapping). */
  public Map<String, String> serviceEnv(String database) {
    Map<String, String> env = new LinkedHashMap<>();
    serviceConfig(database)
        .forEach((k, v) -> env.put(k.toUpperCase().replaceAll("[^A-Z0-9]", "_"), v));
    return env;
  }

  /**
   * The password of the services' {@code admin} user ({@code CONVEYOR_ADMIN_PASSWORD}, else
   * generated once into the data directory's mode-600 credentials file).
   */
  public String adminPassword() {
    return credentials.adminPassword();
  }

  /** Lines describing each endpoint, for a person. */
  public List<String> describe() {
    return components().stream().map(Component::describe).toList();
  }

  /** Ports that had to move because something else held them. */
  public List<String> notices() {
    return List.copyOf(notices);
  }

  /** Wall time from start to all-ready. */
  public long startMillis() {
    return startMillis;
  }

  @Override
  public synchronized void close() {
    List<Component> running = new ArrayList<>();
    for (Component c : new Component[] {feed, s3, postgres, kafka}) {
      if (c != null) {
        running.add(c);
      }
    }
    RuntimeException failure = null;
    for (Component c : running) {
      try {
        c.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      failure = failure == null ? new IllegalStateException(e) : failure;
    }
    feed = null;
    s3 = null;
    postgres = null;
    kafka = null;
    lock = null;
    lockChannel = null;
    if (failure != null) {
      throw failure;
    }
  }

  /** The demo feed as a stack component: its base URL is {@code conveyor.demo-feed.url}. */
  private record FeedComponent(DemoFeedServer server) implements Component {
    @Override
    public void start() throws Exception {
      server.start();
    }

    @Override
    public Map<String, String> serviceConfig() {
      return Map.of("conveyor.demo-feed.url", server.url());
    }

    @Override
    public String describe() {
      return "Demo feed   " + server.url() + "/feed/qa.jsonl  (day " + server.day() + ")";
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
