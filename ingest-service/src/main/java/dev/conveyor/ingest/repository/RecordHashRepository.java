package dev.conveyor.ingest.repository;

import dev.conveyor.ingest.pipeline.HashSet128;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Content hashes per dataset: streamed into memory for dedup, appended with COPY. */
@ApplicationScoped
public class RecordHashRepository {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private final DataSource db;

  public RecordHashRepository(DataSource db) {
    this.db = db;
  }

  /** Every hash of {@code dataset}, streamed (never the whole result in memory at once). */
  public HashSet128 load(String dataset) throws SQLException {
    try (Connection c = db.getConnection()) {
      long count;
      try (PreparedStatement ps =
          c.prepareStatement("select count(*) from record_hash where dataset = ?")) {
        ps.setString(1, dataset);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          count = rs.getLong(1);
        }
      }
      HashSet128 set = new HashSet128((int) Math.min(Integer.MAX_VALUE / 4, count + 1024));
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false); // a cursor-based fetch needs a transaction in pgjdbc
      try (PreparedStatement ps =
          c.prepareStatement("select hash from record_hash where dataset = ?")) {
        ps.setFetchSize(50_000);
        ps.setString(1, dataset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            set.add(rs.getBytes(1));
          }
        }
      } finally {
        c.commit();
        c.setAutoCommit(auto);
      }
      return set;
    }
  }

  /** Appends hashes with COPY inside the caller's transaction; a duplicate key fails it. */
  public static void copy(Connection c, String dataset, long version, List<byte[]> hashes)
      throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    CopyIn in = pg.getCopyAPI().copyIn("COPY record_hash (dataset, hash, version) FROM STDIN");
    try {
      byte[] prefix = (escape(dataset) + "\t\\\\x").getBytes(StandardCharsets.UTF_8);
      byte[] suffix = ("\t" + version + "\n").getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
      for (byte[] h : hashes) {
        buf.write(prefix, 0, prefix.length);
        for (byte b : h) {
          buf.write(HEX[(b >> 4) & 0xf]);
          buf.write(HEX[b & 0xf]);
        }
        buf.write(suffix, 0, suffix.length);
        if (buf.size() > (1 << 20) - 256) {
          in.writeToCopy(buf.toByteArray(), 0, buf.size());
          buf.reset();
        }
      }
      if (buf.size() > 0) {
        in.writeToCopy(buf.toByteArray(), 0, buf.size());
      }
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }
}
