package dev.conveyor.ingest.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Source cursors, ETags and failure counts. */
@ApplicationScoped
public class SourceStateRepository {
  private final DataSource db;

  public SourceStateRepository(DataSource db) {
    this.db = db;
  }

  public SourceState find(String source) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("select * from source_state where source = ?")) {
      ps.setString(1, source);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? map(rs) : SourceState.fresh(source);
      }
    }
  }

  public List<SourceState> all() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("select * from source_state order by source");
        ResultSet rs = ps.executeQuery()) {
      List<SourceState> out = new ArrayList<>();
      while (rs.next()) {
        out.add(map(rs));
      }
      return out;
    }
  }

  /** Records a committed pull, inside the caller's transaction. */
  public void success(Connection c, String source, String cursor, String etag) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into source_state (source, cursor_value, etag, last_attempt_at, last_success_at,"
                + " consecutive_failures, last_error) values (?, ?, ?, now(), now(), 0, null)"
                + " on conflict (source) do update set cursor_value = excluded.cursor_value,"
                + " etag = excluded.etag, last_attempt_at = now(), last_success_at = now(),"
                + " consecutive_failures = 0, last_error = null")) {
      ps.setString(1, source);
      ps.setString(2, cursor);
      ps.setString(3, etag);
      ps.executeUpdate();
    }
  }

  public void success(String source, String cursor, String etag) throws SQLException {
    try (Connection c = db.getConnection()) {
      success(c, source, cursor, etag);
    }
  }

  /** Records a failed pull; the cursor and ETag stay as they were. */
  public void failure(String source, String error) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into source_state (source, last_attempt_at, consecutive_failures, last_error)"
                    + " values (?, now(), 1, ?) on conflict (source) do update set"
                    + " last_attempt_at = now(),"
                    + " consecutive_failures = source_state.consecutive_failures + 1,"
                    + " last_error = excluded.last_error")) {
      ps.setString(1, source);
      ps.setString(2, error);
      ps.executeUpdate();
    }
  }

  private static SourceState map(ResultSet rs) throws SQLException {
    return new SourceState(
        rs.getString("source"),
        rs.getString("cursor_value"),
        rs.getString("etag"),
        instant(rs.getTimestamp("last_attempt_at")),
        instant(rs.getTimestamp("last_success_at")),
        rs.getInt("consecutive_failures"),
        rs.getString("last_error"));
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
