package dev.conveyor.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.ingest.config.IngestConfig;
import io.minio.MinioClient;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad configuration fails with a message naming the setting (the real config mapping, no Quarkus).
 */
class SourceFactoryTest {
  private static final MinioClient NOWHERE =
      MinioClient.builder()
          .endpoint("http://127.0.0.1:1")
          .credentials("k", "s")
          .region("us-east-1")
          .build();

  private static IngestConfig config(Map<String, String> props) {
    SmallRyeConfig c =
        new SmallRyeConfigBuilder()
            .withMapping(IngestConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(props, "test", 100))
            .build();
    return c.getConfigMapping(IngestConfig.class);
  }

  private static String failure(Map<String, String> props) {
    return assertThrows(
            IllegalArgumentException.class, () -> SourceFactory.build(config(props), NOWHERE))
        .getMessage();
  }

  @Test
  void unknownTypeNamesTheSetting() {
    String m =
        failure(
            Map.of(
                "conveyor.ingest.sources.feed.type",
                "ftp",
                "conveyor.ingest.sources.feed.dataset",
                "qa"));
    assertTrue(m.startsWith("conveyor.ingest.sources.feed.type: unknown source type 'ftp'"), m);
  }

  @Test
  void unreachableBucketNamesTheSetting() {
    String m =
        failure(
            Map.of(
                "conveyor.ingest.sources.inbox.type", "s3",
                "conveyor.ingest.sources.inbox.bucket", "drops",
                "conveyor.ingest.sources.inbox.dataset", "qa"));
    assertTrue(
        m.startsWith("conveyor.ingest.sources.inbox.bucket: bucket 'drops' is unreachable"), m);
  }

  @Test
  void missingOrMalformedSettingsAreNamed() {
    assertTrue(
        failure(
                Map.of(
                    "conveyor.ingest.sources.f.type",
                    "http",
                    "conveyor.ingest.sources.f.dataset",
                    "qa"))
            .startsWith("conveyor.ingest.sources.f.url: required"));
    assertTrue(
        failure(
                Map.of(
                    "conveyor.ingest.sources.f.type",
                    "http",
                    "conveyor.ingest.sources.f.url",
                    "ftp://x",
                    "conveyor.ingest.sources.f.dataset",
                    "qa"))
            .startsWith("conveyor.ingest.sources.f.url: must be http(s)"));
    assertTrue(
        failure(
                Map.of(
                    "conveyor.ingest.sources.f.type",
                    "directory",
                    "conveyor.ingest.sources.f.path",
                    "/tmp",
                    "conveyor.ingest.sources.f.dataset",
                    "Bad Name"))
            .startsWith("conveyor.ingest.sources.f.dataset:"));
    assertTrue(
        failure(
                Map.of(
                    "conveyor.ingest.sources.f.type",
                    "directory",
                    "conveyor.ingest.sources.f.path",
                    "/tmp",
                    "conveyor.ingest.sources.f.dataset",
                    "qa",
                    "conveyor.ingest.sources.f.format",
                    "csv"))
            .startsWith("conveyor.ingest.sources.f.format: unknown format 'csv'"));
  }

  @Test
  void aGoodConfigBuildsEverySourceWithDefaults() {
    IngestConfig c =
        config(
            Map.of(
                "conveyor.ingest.sources.b.type", "http",
                "conveyor.ingest.sources.b.url", "http://127.0.0.1:9600/feed/qa.jsonl",
                "conveyor.ingest.sources.b.dataset", "qa",
                "conveyor.ingest.sources.a.type", "directory",
                "conveyor.ingest.sources.a.path", "target/sf-test",
                "conveyor.ingest.sources.a.dataset", "play",
                "conveyor.ingest.sources.a.format", "text"));
    var sources = SourceFactory.build(c, NOWHERE);
    assertEquals(2, sources.size());
    assertEquals("a", sources.get(0).name());
    assertEquals("text", sources.get(0).format());
    assertEquals("qa", sources.get(1).format());
    assertEquals("0 0 2 * * ?", c.schedule().cron());
    assertEquals(100, c.testPermille());
  }
}
