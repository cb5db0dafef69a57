package dev.conveyor.ingest.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Dataset versions, doubling as the outbox of their data-arrived events. */
@ApplicationScoped
public class DatasetVersionRepository {
  private final DataSource db;

  public DatasetVersionRepository(DataSource db) {
    this.db = db;
  }

  public Optional<VersionRow> latest(String dataset) throws SQLException {
    List<VersionRow> rows =
        query(
            "select * from dataset_version where dataset = ? order by version desc limit 1",
            dataset);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public List<VersionRow> all(String dataset) throws SQLException {
    return query("select * from dataset_version where dataset = ? order by version", dataset);
  }

  /** Versions whose event Kafka has not acknowledged yet, oldest first. */
  public List<VersionRow> unpublished() throws SQLException {
    return query(
        "select * from dataset_version where published_at is null order by created_at, dataset, version");
  }

  public void insert(Connection c, VersionRow r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into dataset_version (dataset, version, parent_version, source, manifest_uri,"
                + " manifest_digest, event_id, event_json, train_count, test_count, quarantined,"
                + " duplicates, created_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, r.dataset());
      ps.setLong(2, r.version());
      ps.setObject(3, r.parentVersion());
      ps.setString(4, r.source());
      ps.setString(5, r.manifestUri());
      ps.setString(6, r.manifestDigest());
      ps.setString(7, r.eventId());
      ps.setString(8, r.eventJson());
      ps.setLong(9, r.train());
      ps.setLong(10, r.test());
      ps.setLong(11, r.quarantined());
      ps.setLong(12, r.duplicates());
      ps.setTimestamp(13, Timestamp.from(r.createdAt()));
      ps.executeUpdate();
    }
  }

  public void markPublished(String dataset, long version) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update dataset_version set published_at = now() where dataset = ? and version = ?"
                    + " and published_at is null")) {
      ps.setString(1, dataset);
      ps.setLong(2, version);
      ps.executeUpdate();
    }
  }

  private List<VersionRow> query(String sql, Object... args) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<VersionRow> out = new ArrayList<>();
        while (rs.next()) {
          long parent = rs.getLong("parent_version");
          out.add(
              new VersionRow(
                  rs.getString("dataset"),
                  rs.getLong("version"),
                  rs.wasNull() ? null : parent,
                  rs.getString("source"),
                  rs.getString("manifest_uri"),
                  rs.getString("manifest_digest"),
                  rs.getString("event_id"),
                  rs.getString("event_json"),
                  rs.getLong("train_count"),
                  rs.getLong("test_count"),
                  rs.getLong("quarantined"),
                  rs.getLong("duplicates"),
                  SourceStateRepository.instant(rs.getTimestamp("created_at")),
                  SourceStateRepository.instant(rs.getTimestamp("published_at"))));
        }
        return out;
      }
    }
  }
}
