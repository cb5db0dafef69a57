package dev.conveyor.ingest.repository;

import dev.conveyor.ingest.pipeline.HashList;
import dev.conveyor.ingest.pipeline.HashSet128;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Content hashes per dataset version, packed into chunks of {@link HashList#CHUNK}: read whole into
 * memory for de-duplication, appended in the transaction that commits the version.
 */
@ApplicationScoped
public class RecordHashRepository {
  private final DataSource db;

  public RecordHashRepository(DataSource db) {
    this.db = db;
  }

  /** Every hash of {@code dataset} and the version they are complete up to, from one snapshot. */
  public KnownHashes load(String dataset) throws SQLException {
    try (Connection c = db.getConnection()) {
      boolean auto = c.getAutoCommit();
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        long version =
            single(c, "select max(version) from dataset_version where dataset = ?", dataset);
        long bytes =
            single(
                c,
                "select sum(octet_length(hashes)) from record_hash_chunk where dataset = ?",
                dataset);
        HashSet128 set =
            new HashSet128((int) Math.min(1 << 28, bytes / HashList.HASH_BYTES + 1024));
        try (PreparedStatement ps =
            c.prepareStatement(
                "select hashes from record_hash_chunk where dataset = ? and version <= ?"
                    + " order by version, chunk")) {
          ps.setFetchSize(4); // 2 MiB rows: a few at a time, never the whole result in memory
          ps.setString(1, dataset);
          ps.setLong(2, version);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              byte[] chunk = rs.getBytes(1);
              for (int off = 0; off < chunk.length; off += HashList.HASH_BYTES) {
                set.add(chunk, off);
              }
            }
          }
        }
        c.commit();
        return new KnownHashes(dataset, set, version);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(auto);
      }
    }
  }

  /** Appends the hashes of {@code version} inside the caller's transaction. */
  public void insert(Connection c, String dataset, long version, HashList hashes)
      throws SQLException {
    List<byte[]> chunks = hashes.chunks();
    if (chunks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into record_hash_chunk (dataset, version, chunk, hashes) values (?, ?, ?, ?)")) {
      for (int i = 0; i < chunks.size(); i++) {
        ps.setString(1, dataset);
        ps.setLong(2, version);
        ps.setInt(3, i);
        byte[] chunk = chunks.get(i);
        // a stream, not setBytes: a driver log at TRACE would hex-format every 2 MiB parameter
        ps.setBinaryStream(4, new ByteArrayInputStream(chunk), chunk.length);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static long single(Connection c, String sql, String dataset) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, dataset);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1); // null (no rows) reads as 0
      }
    }
  }
}
