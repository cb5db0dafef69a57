package dev.conveyor.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads the stored sacreBLEU vectors and runs batch-format cases through the library. */
final class Vectors {
  static final ObjectMapper JSON = new ObjectMapper();
  static final double TOLERANCE = 1e-9;

  private Vectors() {}

  static List<JsonNode> load(String resource) {
    InputStream in = Vectors.class.getResourceAsStream(resource);
    assertNotNull(in, "missing test resource " + resource);
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNull() ? null : n.asText()));
    return out;
  }

  static List<List<String>> streams(JsonNode refs) {
    List<List<String>> out = new ArrayList<>();
    refs.forEach(s -> out.add(strings(s)));
    return out;
  }

  static Bleu bleu(JsonNode options, Boolean effectiveOrder) {
    JsonNode sv = options.path("smooth_value");
    return Bleu.builder()
        .tokenize(options.path("tokenize").asText("13a"))
        .lowercase(options.path("lowercase").asBoolean(false))
        .smoothMethod(options.path("smooth_method").asText("exp"))
        .smoothValue(sv.isMissingNode() || sv.isNull() ? null : sv.asDouble())
        .effectiveOrder(effectiveOrder)
        .build();
  }

  static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
  }

  static void assertArray(JsonNode expected, double[] actual, String what) {
    assertEquals(expected.size(), actual.length, what + " length");
    for (int i = 0; i < actual.length; i++) {
      assertClose(expected.get(i).asDouble(), actual[i], what + "[" + i + "]");
    }
  }

  /** Runs a corpus or sentence case and checks every field against its {@code expected}. */
  static void checkScoreCase(JsonNode c) {
    String id = c.path("id").asText();
    JsonNode exp = c.path("expected");
    List<String> hyps = strings(c.path("hyps"));
    List<List<String>> refs = streams(c.path("refs"));
    BleuScore s;
    if (c.path("kind").asText().equals("sentence")) {
      List<String> sentenceRefs = new ArrayList<>();
      refs.forEach(r -> sentenceRefs.add(r.get(0)));
      s = bleu(c.path("options"), null).sentenceScore(hyps.get(0), sentenceRefs);
    } else {
      s = bleu(c.path("options"), null).corpusScore(hyps, refs);
    }
    assertClose(exp.path("score").asDouble(), s.score(), id + " score");
    assertArray(exp.path("counts"), s.counts(), id + " counts");
    assertArray(exp.path("totals"), s.totals(), id + " totals");
    assertArray(exp.path("precisions"), s.precisions(), id + " precisions");
    assertClose(exp.path("bp").asDouble(), s.bp(), id + " bp");
    assertEquals(exp.path("sys_len").asLong(), s.sysLen(), id + " sys_len");
    assertEquals(exp.path("ref_len").asLong(), s.refLen(), id + " ref_len");
    assertEquals(exp.path("signature").asText(), s.signature(), id + " signature");
  }

  /** Runs a paired-bs or paired-ar case and checks every reported number. */
  static void checkPairedCase(JsonNode c, double tolerance) {
    String id = c.path("id").asText();
    JsonNode o = c.path("options");
    Bleu bleu = bleu(o, null);
    Map<String, List<String>> systems = new LinkedHashMap<>();
    c.path("systems")
        .fields()
        .forEachRemaining(e -> systems.put(e.getKey(), strings(e.getValue())));
    List<String> baseline = strings(c.path("baseline"));
    List<List<String>> refs = streams(c.path("refs"));
    long seed = o.path("seed").asLong(PairedBootstrap.DEFAULT_SEED);
    PairedResult r;
    if (c.path("kind").asText().equals("paired-bs")) {
      int n = o.path("n_samples").asInt(PairedBootstrap.DEFAULT_SAMPLES);
      r = PairedBootstrap.run(bleu, baseline, systems, refs, n, seed);
    } else {
      int n = o.path("n_samples").asInt(PairedRandomization.DEFAULT_TRIALS);
      int conf = o.path("n_ar_confidence").asInt(-1);
      r = PairedRandomization.run(bleu, baseline, systems, refs, n, conf == 0 ? 1000 : conf, seed);
    }
    JsonNode exp = c.path("expected");
    if (exp.has("signature")) {
      assertEquals(exp.path("signature").asText(), r.signature().format(), id + " signature");
    }
    checkResult(exp.path("baseline"), r.baseline(), id + " baseline", tolerance);
    assertEquals(exp.path("systems").size(), r.systems().size(), id + " systems");
    exp.path("systems")
        .fields()
        .forEachRemaining(
            e ->
                checkResult(
                    e.getValue(), r.systems().get(e.getKey()), id + " " + e.getKey(), tolerance));
  }

  private static void checkResult(
      JsonNode exp, SystemResult actual, String what, double tolerance) {
    assertNotNull(actual, what);
    assertClose(exp.path("score").asDouble(), actual.score(), what + " score");
    checkOptional(exp.path("mean"), actual.mean(), what + " mean", tolerance);
    checkOptional(exp.path("ci"), actual.ci(), what + " ci", tolerance);
    checkOptional(exp.path("p_value"), actual.pValue(), what + " p_value", tolerance);
  }

  private static void checkOptional(JsonNode exp, Double actual, String what, double tolerance) {
    if (exp.isMissingNode() || exp.isNull()) {
      assertEquals(null, actual, what + " should be absent");
    } else {
      assertNotNull(actual, what);
      assertEquals(exp.asDouble(), actual, tolerance, what);
    }
  }
}
