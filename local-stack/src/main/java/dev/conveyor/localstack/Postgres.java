package dev.conveyor.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real PostgreSQL server from Maven-packaged binaries (zonky), one database per service. */
final class Postgres implements Component {
  static final String USER = "postgres";
  private final Path dataDir;
  private final int port;
  private final List<String> databases;
  private EmbeddedPostgres pg;

  Postgres(Path dataDir, int port, List<String> databases) {
    this.dataDir = dataDir;
    this.port = port;
    this.databases = databases;
  }

  @Override
  public void start() throws Exception {
    Files.createDirectories(dataDir.getParent());
    reapOrphan(dataDir);
    pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", "on")
            .start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      for (String db : databases) {
        try (ResultSet rs =
            st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'")) {
          if (!rs.next()) {
            st.execute("CREATE DATABASE \"" + db + "\"");
          }
        }
      }
    }
  }

  /**
   * A postgres left running by a killed stack still holds this data directory; it is ours, so stop
   * it. A stale pid file whose process is gone (or is not postgres) is removed.
   */
  static void reapOrphan(Path dataDir) throws IOException, InterruptedException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    boolean isPostgres =
        handle.flatMap(h -> h.info().command()).map(c -> c.endsWith("postgres")).orElse(false);
    if (handle.isPresent() && handle.get().isAlive() && isPostgres) {
      ProcessHandle h = handle.get();
      h.destroy(); // SIGTERM: postgres "smart" shutdown of its whole process tree
      for (int i = 0; i < 300 && h.isAlive(); i++) {
        Thread.sleep(100);
      }
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    Files.deleteIfExists(pidFile);
  }

  int port() {
    return pg.getPort();
  }

  String jdbcUrl(String db) {
    return "jdbc:postgresql://localhost:" + port() + "/" + db;
  }

  @Override
  public Map<String, String> serviceConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("quarkus.datasource.username", USER);
    m.put("quarkus.datasource.password", USER);
    m.put("quarkus.datasource.jdbc.url", jdbcUrl("postgres"));
    m.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + port() + "/postgres");
    return m;
  }

  /** The datasource settings for one service's database. */
  Map<String, String> serviceConfig(String db) {
    Map<String, String> m = new LinkedHashMap<>(serviceConfig());
    m.put("quarkus.datasource.jdbc.url", jdbcUrl(db));
    m.put("quarkus.datasource.reactive.url", "postgresql://localhost:" + port() + "/" + db);
    return m;
  }

  @Override
  public String describe() {
    return "PostgreSQL  "
        + jdbcUrl("<db>")
        + "  (databases: "
        + String.join(", ", databases)
        + "; user "
        + USER
        + ", local trust auth)";
  }

  @Override
  public void close() {
    if (pg != null) {
      try {
        pg.close();
      } catch (IOException e) {
        throw new IllegalStateException("postgres did not stop cleanly", e);
      } finally {
        pg = null;
      }
    }
  }
}
