package dev.conveyor.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conveyor.events.DataArrived;
import dev.conveyor.events.EventCodec;
import dev.conveyor.events.EventTypes;
import dev.conveyor.events.Topics;
import dev.conveyor.ingest.pipeline.Split;
import dev.conveyor.localstack.LocalStackResource;
import dev.conveyor.localstack.feed.DemoWorld;
import dev.conveyor.localstack.testing.TestKafka;
import dev.conveyor.storage.Digests;
import dev.conveyor.storage.ObjectStore;
import dev.conveyor.storage.dataset.DatasetLayout;
import dev.conveyor.storage.dataset.DatasetManifest;
import dev.conveyor.storage.dataset.DatasetReader;
import dev.conveyor.storage.dataset.DatasetRecord;
import dev.conveyor.storage.dataset.DatasetView;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = LocalStackResource.class,
    initArgs = @ResourceArg(name = "database", value = "ingest"))
@WithTestResource(ScriptedFeedResource.class)
class IngestFlowTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Inject ObjectStore store;
  @Inject MinioClient minio;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "conveyor.demo-feed.url")
  String feedUrl;

  @ConfigProperty(name = "test.scripted-feed.url")
  String scriptedUrl;

  @Test
  void httpFeedVersionsEachDayOnceAndTheSplitNeverLeaks() throws Exception {
    DemoWorld world = new DemoWorld(DemoWorld.DEFAULT_SEED);
    JsonPath first = run("feed");
    assertEquals("created", first.getString("sources[0].status"));
    assertEquals(1, first.getInt("sources[0].version"));
    DatasetManifest m1 =
        manifestChecked("demo-qa", 1, first.getString("sources[0].manifestDigest"));
    assertEquals(world.day(1).size(), m1.counts().train() + m1.counts().test());
    assertEquals(0, m1.counts().quarantined());
    assertNull(m1.parentVersion());
    assertEquals("1", m1.sources().get(0).cursor());
    assertTrue(
        m1.counts().test() > 0 && m1.counts().test() < m1.counts().train(), m1.counts().toString());

    var events = awaitDataArrived("demo-qa", 1);
    assertEquals(1, events.size(), "exactly one data-arrived for v1");
    DataArrived e1 = EventCodec.decode(EventTypes.DATA_ARRIVED, events.get(0).value());
    assertEquals(first.getString("sources[0].manifestDigest"), e1.manifestDigest());
    assertEquals("s3://conveyor/datasets/demo-qa/v1/manifest.json", e1.manifestUri());
    assertEquals(e1.manifestDigest(), TestKafka.header(events.get(0), "ce_datasetdigest"));

    // nothing new: the cursor and ETag mean nothing is fetched again, and no version appears
    for (int i = 0; i < 2; i++) {
      String status = run("feed").getString("sources[0].status");
      assertTrue(status.equals("not-modified") || status.equals("no-new-records"), status);
    }
    assertFalse(store.exists(DatasetLayout.manifestKey("demo-qa", 2)));

    HTTP.send(
        HttpRequest.newBuilder(URI.create(feedUrl + "/feed/next-day"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
    JsonPath second = run("feed");
    assertEquals(2, second.getInt("sources[0].version"));
    DatasetManifest m2 =
        manifestChecked("demo-qa", 2, second.getString("sources[0].manifestDigest"));
    assertEquals(1L, m2.parentVersion());
    assertEquals(m1.counts().train() + m1.counts().test(), 0 + world.day(1).size());
    assertEquals(
        world.day(2).size(), m2.counts().train() + m2.counts().test() + m2.counts().duplicates());
    assertEquals("2", m2.sources().get(0).cursor());
    assertEquals(2, awaitDataArrived("demo-qa", 2).size());

    DatasetView v1 = new DatasetReader(store).view("demo-qa", 1);
    DatasetView v2 =
        new DatasetReader(store).view("demo-qa", 2, second.getString("sources[0].manifestDigest"));
    assertEquals(
        world.day(1).size() + m2.counts().train() + m2.counts().test(),
        v2.train().size() + v2.test().size());
    Set<String> trainIds = ids(v2.train());
    Set<String> testIds = ids(v2.test());
    assertTrue(trainIds.stream().noneMatch(testIds::contains), "a record is in train and test");
    assertTrue(testIds.containsAll(ids(v1.test())), "v1's test split is still test in v2");
    assertTrue(trainIds.containsAll(ids(v1.train())));
    for (DatasetRecord r : v2.test()) {
      assertTrue(Split.isTest(HexFormat.of().parseHex(r.id()), 100), r.id());
    }
    for (DatasetRecord r : v2.train()) {
      assertFalse(Split.isTest(HexFormat.of().parseHex(r.id()), 100), r.id());
    }
    DatasetRecord sample = v2.train().get(0);
    assertTrue(sample.prompt().endsWith("?") || sample.prompt().endsWith("."), sample.prompt());
    assertTrue(sample.completion().startsWith("The "), sample.completion());
  }

  @Test
  void directoryPullDropsDuplicatesAndQuarantinesEveryRejectWithItsReason() throws Exception {
    Path dir = Files.createDirectories(Path.of("target/it-sources/qa"));
    ByteArrayOutputStream day1 = new ByteArrayOutputStream();
    day1.writeBytes(
        String.join(
                "\n",
                "{\"prompt\":\"What colour is the door of the mill at Osk?\",\"completion\":\"The door of the mill at Osk is red.\"}",
                "{\"prompt\":\"Who keeps the mill at Osk?\",\"completion\":\"The mill at Osk is kept by Anna Brell.\"}",
                "{\"question\":\"When was the mill at Osk built?\",\"answer\":\"The mill at Osk was built in 1843.\"}",
                "{\"question\":\"what colour is the door of the MILL at osk?\",\"answer\":\"The door of the mill at Osk is  red. \"}",
                "{\"prompt\":\"broken json\",",
                "{\"prompt\":\"no completion here\"}",
                "{\"prompt\":\"bell \\u0007 character\",\"completion\":\"x\"}",
                "{\"prompt\":\"" + "long ".repeat(500) + "\",\"completion\":\"x\"}",
                "")
            .getBytes(StandardCharsets.UTF_8));
    day1.writeBytes(
        new byte[] {
          '{',
          '"',
          'p',
          'r',
          'o',
          'm',
          'p',
          't',
          '"',
          ':',
          '"',
          (byte) 0xC3,
          (byte) 0x28,
          '"',
          '}',
          '\n'
        });
    Files.write(dir.resolve("day1.jsonl"), day1.toByteArray());
    Files.writeString(
        dir.resolve("day1b.txt"),
        "Q: How many windows does the mill at Osk have?\nA: The mill at Osk has 12 windows.\n\n"
            + "Q: Which river flows past the mill at Osk?\nA: The river Sala flows past the mill at Osk.\n\n"
            + "Q: A question nobody answered?\n");

    JsonPath r1 = run("dir");
    assertEquals("created", r1.getString("sources[0].status"), r1.prettify());
    DatasetManifest m1 = manifestChecked("dir-qa", 1, r1.getString("sources[0].manifestDigest"));
    assertEquals(5, m1.counts().train() + m1.counts().test());
    assertEquals(1, m1.counts().duplicates());
    assertEquals(6, m1.counts().quarantined());
    assertEquals(6, m1.files().get(DatasetLayout.QUARANTINE).records());
    List<String> quarantine =
        gunzipLines(store.get(DatasetLayout.prefix("dir-qa", 1) + DatasetLayout.QUARANTINE));
    String all = String.join("\n", quarantine);
    for (String reason :
        List.of(
            "invalid JSON",
            "missing field 'completion'",
            "control character U+0007",
            "chars, limit 2000",
            "invalid UTF-8",
            "question without an answer")) {
      assertTrue(all.contains(reason), reason + " in\n" + all);
    }
    JsonPath q0 = new JsonPath(quarantine.get(0));
    assertEquals(5, q0.getInt("line"));
    assertTrue(q0.getString("source").endsWith("day1.jsonl"));
    assertTrue(q0.getString("raw").startsWith("{\"prompt\":\"broken json\""));
    assertTrue(
        Files.exists(dir.resolve("processed/day1.jsonl"))
            && !Files.exists(dir.resolve("day1.jsonl")));

    assertEquals("no-new-records", run("dir").getString("sources[0].status"));

    Files.writeString(
        dir.resolve("day2.jsonl"),
        "{\"prompt\":\"Who keeps the mill at Osk?\",\"completion\":\"The mill at Osk is kept by Anna Brell.\"}\n"
            + "{\"prompt\":\"How many windows does the mill at Osk have?\",\"completion\":\"The mill at Osk has 12 windows.\"}\n"
            + "{\"prompt\":\"Who keeps the bridge at Tam?\",\"completion\":\"The bridge at Tam is kept by Olaf Vel.\"}\n");
    JsonPath r2 = run("dir");
    DatasetManifest m2 = manifestChecked("dir-qa", 2, r2.getString("sources[0].manifestDigest"));
    assertEquals(1, m2.counts().train() + m2.counts().test());
    assertEquals(2, m2.counts().duplicates(), "duplicates across days are dropped and counted");
    assertEquals(1L, m2.parentVersion());
    assertEquals(r1.getString("sources[0].manifestDigest"), m2.parentDigest());
    assertEquals(
        6,
        new DatasetReader(store).view("dir-qa", 2).train().size()
            + new DatasetReader(store).view("dir-qa", 2).test().size());
    assertEquals(2, awaitDataArrived("dir-qa", 2).size());
  }

  @Test
  void s3InboxPullMovesObjectsToProcessed() throws Exception {
    put(
        "drop/qa/batch-1.jsonl.gz",
        gzip(
            "{\"prompt\":\"Who keeps the tower at Quell?\",\"completion\":\"The tower at Quell is kept by Rosa Fen.\"}\n"
                + "{\"prompt\":\"What is the roof of the tower at Quell made of?\",\"completion\":\"The roof of the tower at Quell is made of slate.\"}\n"));
    put(
        "drop/qa/batch-2.txt",
        "Q: When was the tower at Quell built?\nA: The tower at Quell was built in 1802.\n"
            .getBytes(StandardCharsets.UTF_8));

    JsonPath r = run("inbox");
    assertEquals("created", r.getString("sources[0].status"), r.prettify());
    DatasetManifest m = manifestChecked("inbox-qa", 1, r.getString("sources[0].manifestDigest"));
    assertEquals(3, m.counts().train() + m.counts().test());
    assertEquals("s3", m.sources().get(0).type());
    assertEquals("drop/qa/batch-2.txt", m.sources().get(0).cursor());
    assertEquals(
        List.of("processed/drop/qa/batch-1.jsonl.gz", "processed/drop/qa/batch-2.txt"),
        inboxKeys());

    assertEquals("no-new-records", run("inbox").getString("sources[0].status"));
    assertFalse(store.exists(DatasetLayout.manifestKey("inbox-qa", 2)));
    assertEquals(1, awaitDataArrived("inbox-qa", 1).size());
  }

  @Test
  void aPlainTextCorpusIsCutIntoOverlappingWindows() throws Exception {
    Path dir = Files.createDirectories(Path.of("target/it-sources/play"));
    StringBuilder play = new StringBuilder();
    for (int scene = 1; scene <= 12; scene++) {
      play.append("SCENE ").append(scene).append(". A room in the castle.\n\n");
      play.append("HAMLET. To be, or not to be, that is the question, said the prince in scene ")
          .append(scene)
          .append(
              ", whether 'tis nobler in the mind to suffer the slings and arrows of outrageous fortune.\n\n");
    }
    Files.writeString(dir.resolve("play.txt"), play.toString());
    JsonPath r = run("play");
    DatasetManifest m = manifestChecked("play", 1, r.getString("sources[0].manifestDigest"));
    assertEquals("text", m.kind());
    DatasetView view = new DatasetReader(store).view("play", 1);
    List<DatasetRecord> all = new ArrayList<>(view.train());
    all.addAll(view.test());
    assertTrue(all.size() >= 4, "windows: " + all.size());
    assertTrue(
        all.stream()
            .allMatch(x -> x.text() != null && x.prompt() == null && x.text().length() <= 512));
    assertTrue(all.stream().anyMatch(x -> x.text().contains("SCENE 12")));
    assertEquals(1, awaitDataArrived("play", 1).size());
  }

  @Test
  void garbageFailsThePullKeepsTheCursorAndPublishesNothingThenRecovers() throws Exception {
    enqueue(
        200,
        "text/html",
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>".getBytes());
    enqueue(200, "application/octet-stream", new byte[] {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3});
    byte[] gz = gzip("{\"prompt\":\"a\",\"completion\":\"b\"}\n".repeat(200));
    enqueue(200, "application/x-ndjson", java.util.Arrays.copyOf(gz, gz.length / 2));
    JsonPath failed = run("flaky");
    assertEquals("failed", failed.getString("sources[0].status"));
    assertEquals(3, failed.getInt("sources[0].attempts"));
    assertTrue(
        failed.getString("sources[0].error").contains("truncated or corrupt gzip"),
        failed.getString("sources[0].error"));
    assertTrue(store.list("datasets/flaky-qa/").isEmpty(), "nothing partial is written");
    given()
        .auth()
        .preemptive()
        .basic("viewer", "test-viewer")
        .get("/ingest/sources")
        .then()
        .statusCode(200)
        .body("find { it.name == 'flaky' }.state.consecutiveFailures", equalTo(1))
        .body("find { it.name == 'flaky' }.state.cursor", equalTo(null));

    enqueue(503, "text/plain", "busy".getBytes());
    enqueue(
        200,
        "application/x-ndjson",
        "{\"prompt\":\"Is the feed back?\",\"completion\":\"The feed is back.\"}\n".getBytes());
    JsonPath ok = run("flaky");
    assertEquals("created", ok.getString("sources[0].status"));
    assertEquals(2, ok.getInt("sources[0].attempts"));
    assertEquals(1, awaitDataArrived("flaky-qa", 1).size());
  }

  @Test
  void theApiNeedsTheAdminAndAnswersProblemJson() {
    given()
        .contentType("application/json")
        .body("{}")
        .post("/ingest/runs")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("status", equalTo(401));
    given()
        .auth()
        .preemptive()
        .basic("viewer", "test-viewer")
        .contentType("application/json")
        .body("{}")
        .post("/ingest/runs")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    admin()
        .body("{\"source\":\"nope\"}")
        .post("/ingest/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("unknown source 'nope'"));
    admin()
        .body("{\"source\":")
        .post("/ingest/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    admin()
        .body("{\"sauce\":\"feed\"}")
        .post("/ingest/runs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  private DatasetManifest manifestChecked(String ds, long v, String digest) throws Exception {
    String prefix = DatasetLayout.prefix(ds, v);
    byte[] bytes = store.get(DatasetLayout.manifestKey(ds, v));
    assertEquals(Digests.of(bytes), digest);
    DatasetManifest m = DatasetManifest.parse(bytes);
    assertEquals(ds, m.dataset());
    assertEquals(v, m.version());
    assertEquals(
        Set.of(DatasetLayout.TRAIN, DatasetLayout.TEST, DatasetLayout.QUARANTINE),
        m.files().keySet());
    for (var f : m.files().entrySet()) {
      byte[] data = store.getVerified(prefix + f.getKey(), f.getValue().sha256());
      assertEquals(f.getValue().size(), data.length);
      assertEquals(f.getValue().records(), gunzipLines(data).size(), f.getKey());
    }
    assertEquals(m.counts().train(), m.files().get(DatasetLayout.TRAIN).records());
    assertEquals(m.counts().test(), m.files().get(DatasetLayout.TEST).records());
    return m;
  }

  private static io.restassured.specification.RequestSpecification admin() {
    return given().auth().preemptive().basic("admin", "test-admin").contentType("application/json");
  }

  private static JsonPath run(String source) {
    return admin()
        .body("{\"source\":\"" + source + "\"}")
        .post("/ingest/runs")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static Set<String> ids(List<DatasetRecord> records) {
    return records.stream().map(DatasetRecord::id).collect(Collectors.toCollection(HashSet::new));
  }

  private void enqueue(int status, String type, byte[] body) throws Exception {
    HTTP.send(
        HttpRequest.newBuilder(
                URI.create(scriptedUrl + "/enqueue?status=" + status + "&type=" + type))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private void put(String key, byte[] data) throws Exception {
    minio.putObject(
        PutObjectArgs.builder().bucket("inbox").object(key).stream(
                new ByteArrayInputStream(data), (long) data.length, -1L)
            .build());
  }

  private List<String> inboxKeys() throws Exception {
    List<String> keys = new ArrayList<>();
    for (var r :
        minio.listObjects(ListObjectsArgs.builder().bucket("inbox").recursive(true).build())) {
      keys.add(r.get().objectName());
    }
    keys.sort(null);
    return keys;
  }

  static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static List<String> gunzipLines(byte[] gz) throws Exception {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isEmpty()).toList();
    }
  }

  /** Exactly {@code n} data-arrived of {@code dataset}, once no more arrive. */
  private List<ConsumerRecord<String, String>> awaitDataArrived(String dataset, int n) {
    return new TestKafka(bootstrap)
        .awaitExactly(Topics.DATA_ARRIVED, r -> dataset.equals(r.key()), n, Duration.ofSeconds(60));
  }
}
