package dev.conveyor.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes real {@code .tar.gz} archives (POSIX ustar) like the trainer's model archive. */
public final class Archives {
  private Archives() {}

  /** A gzipped tar of the given files (name -> content), in iteration order. */
  public static byte[] tarGz(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        gz.write(header(f.getKey(), f.getValue().length));
        gz.write(f.getValue());
        int pad = (512 - f.getValue().length % 512) % 512;
        gz.write(new byte[pad]);
      }
      gz.write(new byte[1024]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A small model-like archive: weights, config and tokenizer, distinct per {@code seed}. */
  public static byte[] model(String seed) {
    byte[] weights = new byte[4096 + Math.floorMod(seed.hashCode(), 1024)];
    new java.util.Random(seed.hashCode()).nextBytes(weights);
    return tarGz(
        new java.util.LinkedHashMap<>(
            Map.of(
                "config.json",
                ("{\"layers\":2,\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8),
                "weights.bin",
                weights,
                "tokenizer.json",
                "{\"vocab\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8))));
  }

  private static byte[] header(String name, long size) {
    byte[] h = new byte[512];
    put(h, 0, name, 100);
    put(h, 100, "0000644", 8);
    put(h, 108, "0000000", 8);
    put(h, 116, "0000000", 8);
    put(h, 124, String.format("%011o", size), 12);
    put(h, 136, String.format("%011o", 1_764_000_000L), 12);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = '0';
    put(h, 257, "ustar", 6);
    h[263] = '0';
    h[264] = '0';
    put(h, 265, "conveyor", 32);
    put(h, 297, "conveyor", 32);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum), 7);
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int offset, String value, int max) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, offset, Math.min(b.length, max));
  }
}
