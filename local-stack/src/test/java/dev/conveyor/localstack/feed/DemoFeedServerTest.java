package dev.conveyor.localstack.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoFeedServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theWorldIsDeterministicAndEachDayAddsNewFactsAndRephrasings() {
    DemoWorld a = new DemoWorld(42);
    DemoWorld b = new DemoWorld(42);
    assertEquals(a.days(1, 3), b.days(1, 3));
    assertNotEquals(a.day(1), new DemoWorld(43).day(1));

    List<DemoWorld.Pair> day1 = a.day(1);
    List<DemoWorld.Pair> day2 = a.day(2);
    assertTrue(day1.size() >= 300 && day1.size() <= 2000, "day 1 size " + day1.size());
    assertTrue(day2.size() >= 300 && day2.size() <= 2000, "day 2 size " + day2.size());

    Set<String> answers1 = day1.stream().map(DemoWorld.Pair::answer).collect(Collectors.toSet());
    Set<String> questions1 =
        day1.stream().map(DemoWorld.Pair::question).collect(Collectors.toSet());
    long newFacts = day2.stream().filter(p -> !answers1.contains(p.answer())).count();
    long rephrased = day2.stream().filter(p -> answers1.contains(p.answer())).count();
    assertTrue(newFacts >= 300, "new facts on day 2: " + newFacts);
    assertTrue(rephrased >= 100, "rephrasings of day-1 facts on day 2: " + rephrased);
    // a rephrasing is a new question for a known answer, never a repeat
    assertTrue(day2.stream().noneMatch(p -> questions1.contains(p.question())));
    assertEquals(day2.size(), new HashSet<>(day2).size());

    DemoWorld.Pair p = day1.get(0);
    assertTrue(p.question().endsWith("?") || p.question().endsWith("."), p.question());
    assertTrue(p.answer().startsWith("The "), p.answer());
  }

  @Test
  void servesDaysWithCursorAndEtagAndKeepsTheDayAcrossRestarts() throws Exception {
    Path dir = Files.createTempDirectory("feed");
    DemoWorld world = new DemoWorld(DemoWorld.DEFAULT_SEED);
    try (DemoFeedServer feed = new DemoFeedServer(dir, 0, world)) {
      feed.start();
      var first = get(feed.url() + "/feed/qa.jsonl", Map.of());
      assertEquals(200, first.statusCode());
      assertEquals("1", first.headers().firstValue(DemoFeedServer.CURSOR_HEADER).orElseThrow());
      assertEquals(world.day(1).size(), first.body().lines().count());
      assertTrue(first.body().startsWith("{\"question\":\""), first.body().substring(0, 40));
      String etag = first.headers().firstValue("ETag").orElseThrow();

      var again = get(feed.url() + "/feed/qa.jsonl?since=1", Map.of());
      assertEquals(200, again.statusCode());
      assertEquals("", again.body());
      String emptyEtag = again.headers().firstValue("ETag").orElseThrow();
      assertEquals(
          304,
          get(feed.url() + "/feed/qa.jsonl?since=1", Map.of("If-None-Match", emptyEtag))
              .statusCode());
      assertNotEquals(etag, emptyEtag);

      var next =
          http.send(
              HttpRequest.newBuilder(URI.create(feed.url() + "/feed/next-day"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("{\"day\":2,\"seed\":" + DemoWorld.DEFAULT_SEED + "}", next.body());
      var day2 = get(feed.url() + "/feed/qa.jsonl?since=1", Map.of("If-None-Match", emptyEtag));
      assertEquals(200, day2.statusCode());
      assertEquals("2", day2.headers().firstValue(DemoFeedServer.CURSOR_HEADER).orElseThrow());
      assertEquals(world.day(2).size(), day2.body().lines().count());

      assertEquals(404, get(feed.url() + "/feed/qa?day=3", Map.of()).statusCode());
      assertEquals(400, get(feed.url() + "/feed/qa.jsonl?since=x", Map.of()).statusCode());
    }
    try (DemoFeedServer restarted = new DemoFeedServer(dir, 0, world)) {
      restarted.start();
      assertEquals(2, restarted.day());
      assertEquals(200, get(restarted.url() + "/feed/qa?day=2", Map.of()).statusCode());
    }
  }

  private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
