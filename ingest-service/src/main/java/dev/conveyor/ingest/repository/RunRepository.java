package dev.conveyor.ingest.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Ingest runs: when they started (for catch-up) and what they did. */
@ApplicationScoped
public class RunRepository {
  private final DataSource db;

  public RunRepository(DataSource db) {
    this.db = db;
  }

  public long start(String trigger) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into ingest_run (trigger, started_at) values (?, now()) returning id")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public void finish(long id, String resultJson) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update ingest_run set finished_at = now(), result = ? where id = ?")) {
      ps.setString(1, resultJson);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** When the last run with one of {@code triggers} started. */
  public Optional<Instant> lastStart(String... triggers) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select max(started_at) from ingest_run where trigger = any(?)")) {
      ps.setArray(1, c.createArrayOf("text", triggers));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Timestamp t = rs.getTimestamp(1);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
      }
    }
  }
}
