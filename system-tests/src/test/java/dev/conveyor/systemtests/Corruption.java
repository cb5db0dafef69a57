package dev.conveyor.systemtests;

import dev.conveyor.localstack.LocalStack;
import dev.conveyor.localstack.feed.DemoWorld;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A day of bad data: real-looking questions whose answers an upstream bug turned into word salad,
 * dropped into the S3 inbox the way a user drops a file.
 */
final class Corruption {
  private Corruption() {}

  static void dropIntoInbox(LocalStack stack, int records) throws Exception {
    List<DemoWorld.Pair> pairs = new DemoWorld(7L).days(1, 4);
    List<String> words = new ArrayList<>();
    pairs.forEach(p -> words.addAll(List.of(p.answer().split(" "))));
    Random r = new Random(11);
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < records; i++) {
      DemoWorld.Pair p = pairs.get(i % pairs.size());
      StringBuilder salad = new StringBuilder();
      for (int w = 0, n = 6 + r.nextInt(6); w < n; w++) {
        salad.append(w == 0 ? "" : " ").append(words.get(r.nextInt(words.size())));
      }
      jsonl
          .append("{\"prompt\":")
          .append(json(p.question() + (i >= pairs.size() ? " (" + i + ")" : "")))
          .append(",\"completion\":")
          .append(json(salad.toString()))
          .append("}\n");
    }
    Map<String, String> cfg = stack.serviceConfig("postgres");
    MinioClient s3 =
        MinioClient.builder()
            .endpoint(cfg.get("conveyor.s3.endpoint"))
            .region("us-east-1")
            .credentials(cfg.get("conveyor.s3.access-key"), cfg.get("conveyor.s3.secret-key"))
            .build();
    byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    s3.putObject(
        PutObjectArgs.builder().bucket("inbox").object("drop/qa/bad-day.jsonl").stream(
                new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
            .contentType("application/x-ndjson")
            .build());
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
