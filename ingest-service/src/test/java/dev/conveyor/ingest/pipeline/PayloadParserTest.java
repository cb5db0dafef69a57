package dev.conveyor.ingest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class PayloadParserTest {
  private final PayloadParser parser = new PayloadParser(Limits.defaults());

  private static final class Collect implements PayloadParser.Sink {
    final List<Candidate> ok = new ArrayList<>();
    final List<Rejected> bad = new ArrayList<>();

    @Override
    public void accept(Candidate c) {
      ok.add(c);
    }

    @Override
    public void reject(Rejected r) {
      bad.add(r);
    }
  }

  private Collect parse(String name, byte[] data, String format) throws GarbageException {
    Collect c = new Collect();
    parser.parse(new Payload(name, data, null), format, c);
    return c;
  }

  @Test
  void acceptsAllThreeQaShapes() throws Exception {
    Collect c =
        parse(
            "a.jsonl",
            ("{\"prompt\":\"p1\",\"completion\":\"c1\",\"extra\":[1,{\"x\":2}]}\r\n\n"
                    + "{\"question\":\"q2\",\"answer\":\"a2\"}\n")
                .getBytes(StandardCharsets.UTF_8),
            "qa");
    assertEquals(
        List.of(Candidate.qa("a.jsonl", 1, "p1", "c1"), Candidate.qa("a.jsonl", 3, "q2", "a2")),
        c.ok);
    Collect t =
        parse(
            "b.txt",
            "Q: What is it?\nA: It is a\nlonger answer.\nq: Second?\na: Yes.\n"
                .getBytes(StandardCharsets.UTF_8),
            "qa");
    assertEquals(
        List.of(
            Candidate.qa("b.txt", 1, "What is it?", "It is a\nlonger answer."),
            Candidate.qa("b.txt", 4, "Second?", "Yes.")),
        t.ok);
    assertEquals(List.of(), t.bad);
  }

  @Test
  void rejectsRecordsWithReasonsAndLineNumbers() throws Exception {
    Collect c =
        parse(
            "r.jsonl",
            ("[1,2]\n{\"prompt\":1,\"completion\":\"x\"}\n{\"prompt\":\"  \",\"completion\":\"x\"}\n"
                    + "{\"prompt\":\"a\",\"completion\":\"b\"} trailing\n{\"prompt\":\"\\u0085\",\"completion\":\"b\"}\n"
                    + "{\"prompt\":\"ok\",\"completion\":\"fine\"}\n")
                .getBytes(StandardCharsets.UTF_8),
            "qa");
    assertEquals(
        List.of(
            "1:not a JSON object",
            "2:field 'prompt' is not a string",
            "3:empty field 'prompt'",
            "4:invalid JSON: Unrecognized token 'trailing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            "5:control character U+0085 in field 'prompt'"),
        c.bad.stream().map(r -> r.line() + ":" + r.reason()).toList());
    assertEquals(1, c.ok.size());
  }

  @Test
  void garbageFailsTheWholePayload() throws Exception {
    var html =
        assertThrows(
            GarbageException.class,
            () -> parse("h", "\n  <!DOCTYPE html><html>502</html>".getBytes(), "qa"));
    assertTrue(html.getMessage().contains("HTML"), html.getMessage());
    var typed =
        assertThrows(
            GarbageException.class,
            () ->
                parser.parse(
                    new Payload("t", "{}".getBytes(), "text/html; charset=utf-8"),
                    "qa",
                    new Collect()));
    assertTrue(typed.getMessage().contains("content-type text/html"), typed.getMessage());
    var bin =
        assertThrows(GarbageException.class, () -> parse("b", new byte[] {'{', 0, 1, 2}, "qa"));
    assertTrue(bin.getMessage().contains("NUL byte at offset 1"), bin.getMessage());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write("{\"prompt\":\"a\",\"completion\":\"b\"}\n".repeat(1000).getBytes());
    }
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 9);
    var trunc = assertThrows(GarbageException.class, () -> parse("x.jsonl.gz", cut, "qa"));
    assertTrue(trunc.getMessage().contains("truncated or corrupt gzip"), trunc.getMessage());
    assertEquals(1000, parse("x.jsonl.gz", out.toByteArray(), "qa").ok.size());
    var mostly =
        assertThrows(
            GarbageException.class,
            () -> parse("m", "{\"prompt\":\"a\"}\n".repeat(30).getBytes(), "qa"));
    assertTrue(mostly.getMessage().contains("30 of 30 records rejected"), mostly.getMessage());
  }

  @Test
  void textIsCutIntoWindowsAndBadParagraphsAreQuarantined() throws Exception {
    String para = "word ".repeat(300).trim();
    Collect c =
        parse(
            "play.txt",
            (para + "\n\nbad \u0001 para\n\n" + para).getBytes(StandardCharsets.UTF_8),
            "text");
    assertEquals(1, c.bad.size());
    assertEquals(3, c.bad.get(0).line());
    assertTrue(c.ok.size() >= 6, "windows " + c.ok.size());
    assertTrue(c.ok.stream().allMatch(w -> w.text().length() <= 512 && !w.text().startsWith(" ")));
    List<String> w = Windows.cut("abcdefghij ".repeat(100), 64, 16);
    for (int i = 1; i < w.size(); i++) {
      String prev = w.get(i - 1);
      assertTrue(
          prev.endsWith(w.get(i).substring(0, 10)), "windows overlap: " + prev + " | " + w.get(i));
    }
  }

  @Test
  void hashingNormalizesAndTheSplitIsAPureFunctionOfTheHash() {
    assertEquals(
        ContentHash.hex(ContentHash.qa("What  is X?", "It is y.")),
        ContentHash.hex(ContentHash.qa(" what is x? ", "IT IS Y.")));
    assertTrue(
        !ContentHash.hex(ContentHash.qa("a", "b c"))
            .equals(ContentHash.hex(ContentHash.qa("a b", "c"))));
    assertEquals(
        ContentHash.hex(ContentHash.text("ﬁne")), ContentHash.hex(ContentHash.text("fine")));
    int test = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] h = ContentHash.qa("q" + i, "a");
      assertEquals(Split.isTest(h, 100), Split.isTest(h.clone(), 100));
      test += Split.isTest(h, 100) ? 1 : 0;
    }
    assertTrue(test > 1700 && test < 2300, "about 10 % test: " + test);
    HashSet128 set = new HashSet128(4);
    for (int i = 0; i < 5000; i++) {
      assertTrue(set.add(ContentHash.text("t" + i)));
    }
    assertTrue(set.contains(ContentHash.text("t4999")));
    assertTrue(!set.add(ContentHash.text("t17")));
    assertEquals(5000, set.size());
  }
}
