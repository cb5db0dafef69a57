package dev.conveyor.cli.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.bleu.Bleu;
import dev.conveyor.bleu.BleuScore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code conveyor bleu} end to end: files, batch mode, paired tests and bad input. */
class BleuCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // The reference cases made with sacreBLEU, kept with the bleu module's test data.
  private static final Path CASES = Path.of("..", "bleu", "src", "test", "resources", "cases");
  private static final Path VECTORS = Path.of("..", "bleu", "src", "test", "resources", "vectors");

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new BleuCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    InputStream saved = System.in;
    try {
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      }
      int code = cl.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  private Path file(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  @Test
  void everySharedSacrebleuCasePassesInBatchMode() throws Exception {
    assertEquals(
        158, checkBatch(CASES, List.of("corpus.jsonl", "sentence.jsonl", "bootstrap.jsonl")));
  }

  @Test
  void everyGeneratedSacrebleuVectorPassesInBatchMode() throws Exception {
    int checked = checkBatch(VECTORS, List.of("corpus.jsonl", "sentence.jsonl", "paired.jsonl"));
    assertTrue(checked > 1500, "only " + checked);
  }

  private static int checkBatch(Path dir, List<String> names) throws Exception {
    int checked = 0;
    for (String name : names) {
      Path cases = dir.resolve(name);
      assertTrue(Files.exists(cases), "missing " + cases.toAbsolutePath());
      List<String> lines = Files.readAllLines(cases);
      Run r = run(null, "--jsonl", cases.toString());
      assertEquals(0, r.code(), r.err());
      String[] outLines = r.out().split("\n");
      assertEquals(lines.size(), outLines.length, name);
      for (int i = 0; i < lines.size(); i++) {
        JsonNode c = JSON.readTree(lines.get(i));
        JsonNode got = JSON.readTree(outLines[i]);
        assertEquals(c.get("id"), got.get("id"));
        assertMatches(c.get("expected"), got, c.get("id").asText());
        checked++;
      }
    }
    return checked;
  }

  /** Every expected field, numbers to 1e-9 relative, strings exactly. */
  private static void assertMatches(JsonNode expected, JsonNode got, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode g = got.get(e.getKey());
      assertNotNull(g, where + ": missing " + e.getKey());
      assertNode(e.getValue(), g, where + "." + e.getKey());
    }
  }

  private static void assertNode(JsonNode exp, JsonNode got, String where) {
    if (exp.isNumber()) {
      double x = exp.asDouble();
      assertEquals(x, got.asDouble(), 1e-9 * Math.max(1, Math.abs(x)), where);
    } else if (exp.isArray()) {
      assertEquals(exp.size(), got.size(), where);
      for (int i = 0; i < exp.size(); i++) {
        assertNode(exp.get(i), got.get(i), where + "[" + i + "]");
      }
    } else if (exp.isObject()) {
      assertMatches(exp, got, where);
    } else {
      assertEquals(exp, got, where);
    }
  }

  @Test
  void batchModeReadsStdinAndAnswersEveryKind() throws Exception {
    String req =
        "{\"id\":1,\"kind\":\"corpus\",\"hyps\":[\"a b c d\"],\"refs\":[[\"a b c d\"]]}\n"
            + "\n"
            + "{\"id\":\"s\",\"kind\":\"sentence\",\"hyps\":[\"the cat\"],\"refs\":[[\"the cat sat\"]],"
            + "\"options\":{\"tokenize\":\"char\",\"lowercase\":true,\"smooth_method\":\"add-k\","
            + "\"smooth_value\":0.5}}\n"
            + "{\"id\":\"ar\",\"kind\":\"paired-ar\",\"baseline\":[\"a b\",\"c d\"],"
            + "\"systems\":{\"x\":[\"a b\",\"c e\"]},\"refs\":[[\"a b\",\"c d\"]],"
            + "\"options\":{\"n_samples\":50,\"seed\":3}}\n";
    Run r = run(req, "--jsonl");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length);
    JsonNode corpus = JSON.readTree(lines[0]);
    assertEquals(1, corpus.get("id").asInt());
    assertEquals(100.0, corpus.get("score").asDouble(), 1e-9);
    assertEquals("[4,3,2,1]", corpus.get("counts").toString());
    JsonNode sentence = JSON.readTree(lines[1]);
    BleuScore s =
        Bleu.builder()
            .tokenize("char")
            .lowercase(true)
            .smoothMethod("add-k")
            .smoothValue(0.5)
            .build()
            .sentenceScore("the cat", List.of("the cat sat"));
    assertEquals(s.score(), sentence.get("score").asDouble(), 0.0);
    assertEquals(s.signature(), sentence.get("signature").asText());
    assertEquals("[6,5.5,4.5,3.5]", sentence.get("counts").toString());
    JsonNode ar = JSON.readTree(lines[2]);
    assertEquals(
        "nrefs:1|ar:50|seed:3|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        ar.get("signature").asText());
    assertFalse(ar.get("baseline").has("p_value"));
    assertTrue(ar.get("systems").get("x").get("p_value").asDouble() > 0);
  }

  @Test
  void badBatchLineIsOneLineWithItsNumberAndExitTwo() {
    String req =
        "{\"id\":1,\"kind\":\"corpus\",\"hyps\":[\"a\"],\"refs\":[[\"a\"]]}\n"
            + "{\"id\":2,\"kind\":\"corpus\",\"hyps\":[\"a\"],\"refs\":[[\"a\"]],"
            + "\"options\":{\"tokenize\":\"zh\"}}\n";
    Run r = run(req, "--jsonl");
    assertEquals(2, r.code());
    assertEquals(1, r.out().split("\n").length);
    assertEquals(
        "bleu: line 2: unknown tokenizer 'zh' (expected one of 13a, intl, char, none)\n", r.err());
    Run mismatch =
        run("{\"id\":1,\"kind\":\"corpus\",\"hyps\":[\"a\",\"b\"],\"refs\":[[\"a\"]]}", "--jsonl");
    assertEquals(2, mismatch.code());
    assertEquals("bleu: line 1: hypotheses have 2 lines but references have 1\n", mismatch.err());
    Run smoothing =
        run(
            "{\"id\":1,\"kind\":\"corpus\",\"hyps\":[\"a\"],\"refs\":[[\"a\"]],"
                + "\"options\":{\"smooth_method\":\"lin\"}}",
            "--jsonl");
    assertEquals(2, smoothing.code());
    assertTrue(smoothing.err().startsWith("bleu: line 1: unknown smoothing method 'lin'"));
    Run notJson = run("{oops", "--jsonl");
    assertEquals(2, notJson.code());
    assertTrue(notJson.err().startsWith("bleu: line 1: invalid JSON"), notJson.err());
  }

  @Test
  void corpusScoreFromFilesPrintsSacrebleusLine() throws Exception {
    Path ref = file("ref.txt", "The cat sat on the mat.", "It is raining today.");
    Path hyp = file("hyp.txt", "The cat sat on a mat.", "It rains today.");
    Run r = run(null, ref.toString(), "-i", hyp.toString());
    assertEquals(0, r.code(), r.err());
    BleuScore s =
        Bleu.defaults()
            .corpusScore(
                List.of("The cat sat on a mat.", "It rains today."),
                List.of(List.of("The cat sat on the mat.", "It is raining today.")));
    assertEquals(
        "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = "
            + PyFormat.fixed(s.score(), 1)
            + " "
            + PyFormat.verbose(s)
            + "\n",
        r.out());
    Run b = run(null, ref.toString(), "-i", hyp.toString(), "-b", "-w", "4");
    assertEquals(PyFormat.fixed(s.score(), 4) + "\n", b.out());
    Run j = run(null, ref.toString(), "-i", hyp.toString(), "--json", "-lc", "-tok", "intl");
    JsonNode o = JSON.readTree(j.out());
    assertEquals("lc", o.get("case").asText());
    assertEquals("intl", o.get("tok").asText());
    assertEquals("2.6.0", o.get("version").asText());
  }

  @Test
  void hypothesesFromStdinAndSeveralReferences() throws Exception {
    Path ref1 = file("r1.txt", "a b c d", "e f g h");
    Path ref2 = file("r2.txt", "a b c x", "e f g i");
    Run r = run("a b c x\ne f g h\n", ref1.toString(), ref2.toString(), "-b", "-w", "6");
    assertEquals(0, r.code(), r.err());
    assertEquals(PyFormat.fixed(100.0, 6) + "\n", r.out());
  }

  @Test
  void sentenceLevelPrintsOneScorePerLine() throws Exception {
    Path ref = file("ref.txt", "the cat sat", "a b c d e");
    Path hyp = file("hyp.txt", "the cat", "a b c d e");
    Run r = run(null, ref.toString(), "-i", hyp.toString(), "--sentence-level");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length);
    assertTrue(
        lines[0].startsWith("BLEU|nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|"), lines[0]);
    assertTrue(lines[1].contains(" = 100.0 "), lines[1]);
  }

  @Test
  void pairedTestsPrintATableAndJson() throws Exception {
    List<String> refs = new ArrayList<>();
    List<String> base = new ArrayList<>();
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      refs.add("sentence number " + i + " has some words in it");
      base.add("sentence " + i + " has words in");
      good.add("sentence number " + i + " has some words in");
    }
    Path ref = file("ref.txt", refs.toArray(String[]::new));
    Path bl = file("base.txt", base.toArray(String[]::new));
    Path sys = file("good.txt", good.toArray(String[]::new));
    Run bs = run(null, ref.toString(), "-i", bl.toString(), sys.toString(), "--paired-bs");
    assertEquals(0, bs.code(), bs.err());
    assertTrue(bs.out().contains("Baseline: " + bl), bs.out());
    assertTrue(bs.out().contains("(p = 0.0010)*"), bs.out());
    assertTrue(bs.out().contains("nrefs:1|bs:1000|seed:12345|"), bs.out());
    Run ar =
        run(
            null,
            ref.toString(),
            "-i",
            bl.toString(),
            sys.toString(),
            "--paired-ar",
            "-parn",
            "200",
            "--json");
    assertEquals(0, ar.code(), ar.err());
    JsonNode doc = JSON.readTree(ar.out());
    assertEquals(2, doc.get("systems").size());
    assertEquals(1.0 / 201, doc.get("systems").get(1).get("BLEU").get("p_value").asDouble(), 1e-12);
    assertTrue(doc.get("signature").asText().startsWith("nrefs:1|ar:200|seed:12345|"));
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path ref = file("ref.txt", "a", "b", "c");
    Path hyp = file("hyp.txt", "a", "b");
    Run lengths = run(null, ref.toString(), "-i", hyp.toString());
    assertEquals(2, lengths.code());
    assertEquals("bleu: " + hyp + " has 2 lines but reference " + ref + " has 3\n", lengths.err());

    Path ok = file("ok.txt", "a", "b", "c");
    Run tok = run(null, ref.toString(), "-i", ok.toString(), "-tok", "moses");
    assertEquals(2, tok.code());
    assertEquals(
        "bleu: unknown tokenizer 'moses' (expected one of 13a, intl, char, none)\n", tok.err());

    Run smooth = run(null, ref.toString(), "-i", ok.toString(), "-s", "laplace");
    assertEquals(2, smooth.code());
    assertTrue(smooth.err().startsWith("bleu: unknown smoothing method 'laplace'"));

    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'a', '\n', 'b', '\n', (byte) 0xff, '\n'});
    Run utf8 = run(null, ref.toString(), "-i", bad.toString());
    assertEquals(2, utf8.code());
    assertEquals("bleu: invalid UTF-8 in " + bad + " at line 3\n", utf8.err());

    Run missing = run(null, ref.toString(), "-i", dir.resolve("nope.txt").toString());
    assertEquals(2, missing.code());
    assertEquals(1, missing.err().split("\n").length);

    Run flag = run(null, ref.toString(), "-i", ok.toString(), "--no-such-flag");
    assertEquals(2, flag.code());

    StringWriter err = new StringWriter();
    CommandLine cl = BleuCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("--no-such-flag"));
    assertEquals(1, err.toString().split("\n").length, err.toString());
  }
}
