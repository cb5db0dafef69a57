package dev.conveyor.cli.bleu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.bleu.Bleu;
import dev.conveyor.bleu.BleuScore;
import dev.conveyor.bleu.PairedBootstrap;
import dev.conveyor.bleu.PairedRandomization;
import dev.conveyor.bleu.PairedResult;
import dev.conveyor.bleu.Signature;
import dev.conveyor.bleu.SystemResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code conveyor bleu --jsonl} batch protocol: one JSON request per line in, one JSON result
 * per line out, for tools and tests.
 */
final class BleuJsonl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KINDS = Set.of("corpus", "sentence", "paired-bs", "paired-ar");

  private BleuJsonl() {}

  /**
   * Answers every request in order; stops at the first bad one with an {@link
   * IllegalArgumentException} whose message starts with its line number.
   */
  static void run(List<String> lines, PrintWriter out) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      ObjectNode result;
      try {
        result = answer(parse(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
      out.println(result.toString());
      out.flush();
    }
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage());
    }
  }

  static ObjectNode answer(JsonNode req) {
    String kind = req.path("kind").asText("");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown kind '" + kind + "' (expected one of corpus, sentence, paired-bs, paired-ar)");
    }
    JsonNode options = req.path("options");
    ObjectNode out = JSON.createObjectNode();
    out.set("id", req.has("id") ? req.get("id").deepCopy() : JSON.nullNode());
    List<List<String>> refs = streams(req.path("refs"));
    if (kind.equals("corpus") || kind.equals("sentence")) {
      List<String> hyps = strings(req.path("hyps"), "hyps");
      BleuScore s;
      if (kind.equals("sentence")) {
        if (hyps.size() != 1) {
          throw new IllegalArgumentException(
              "a sentence request needs exactly one hypothesis, got " + hyps.size());
        }
        List<String> sentenceRefs = new ArrayList<>();
        for (int r = 0; r < refs.size(); r++) {
          if (refs.get(r).size() != 1) {
            throw new IllegalArgumentException(
                "a sentence request needs one line per reference stream; stream "
                    + (r + 1)
                    + " has "
                    + refs.get(r).size());
          }
          sentenceRefs.add(refs.get(r).get(0));
        }
        s = bleu(options).sentenceScore(hyps.get(0), sentenceRefs);
      } else {
        s = bleu(options).corpusScore(hyps, refs);
      }
      writeScore(out, s);
      return out;
    }
    Bleu bleu = bleu(options);
    List<String> baseline = strings(req.path("baseline"), "baseline");
    JsonNode sys = req.path("systems");
    if (!sys.isObject() || sys.isEmpty()) {
      throw new IllegalArgumentException("'systems' must be a non-empty object of name: [lines]");
    }
    Map<String, List<String>> systems = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = sys.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      systems.put(e.getKey(), strings(e.getValue(), "systems." + e.getKey()));
    }
    long seed = longOption(options, "seed", PairedBootstrap.DEFAULT_SEED);
    // sacreBLEU's PairedTest turns 0 into its default of 1000 confidence resamples.
    Integer conf =
        options.has("n_ar_confidence") && !options.get("n_ar_confidence").isNull()
            ? (int) longOption(options, "n_ar_confidence", -1)
            : null;
    if (conf != null && conf == 0) {
      conf = PairedBootstrap.DEFAULT_SAMPLES;
    }
    PairedResult r;
    if (kind.equals("paired-bs")) {
      int n = (int) longOption(options, "n_samples", PairedBootstrap.DEFAULT_SAMPLES);
      r = PairedBootstrap.run(bleu, baseline, systems, refs, n, seed);
      if (conf != null && conf > 0) {
        // sacreBLEU writes the confidence resamples over the bs: field even for this test.
        Signature sig = r.signature();
        r =
            new PairedResult(
                sig.withTest(conf, sig.arTrials(), sig.seed()), r.baseline(), r.systems());
      }
    } else {
      int n = (int) longOption(options, "n_samples", PairedRandomization.DEFAULT_TRIALS);
      r = PairedRandomization.run(bleu, baseline, systems, refs, n, conf == null ? -1 : conf, seed);
    }
    out.set("baseline", result(r.baseline()));
    ObjectNode systemsOut = out.putObject("systems");
    r.systems().forEach((name, res) -> systemsOut.set(name, result(res)));
    out.put("signature", r.signature().format());
    return out;
  }

  private static void writeScore(ObjectNode out, BleuScore s) {
    out.put("score", s.score());
    numbers(out.putArray("counts"), s.counts());
    numbers(out.putArray("totals"), s.totals());
    ArrayNode p = out.putArray("precisions");
    for (double v : s.precisions()) {
      p.add(v);
    }
    out.put("bp", s.bp());
    out.put("sys_len", s.sysLen());
    out.put("ref_len", s.refLen());
    out.put("signature", s.signature());
  }

  // Counts are integers unless add-k smoothing added a fraction; print them as sacreBLEU does.
  private static void numbers(ArrayNode a, double[] values) {
    for (double v : values) {
      if (v == Math.rint(v) && Math.abs(v) < 1e15) {
        a.add((long) v);
      } else {
        a.add(v);
      }
    }
  }

  private static ObjectNode result(SystemResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("score", r.score());
    if (r.mean() != null) {
      o.put("mean", r.mean());
    }
    if (r.ci() != null) {
      o.put("ci", r.ci());
    }
    if (r.pValue() != null) {
      o.put("p_value", r.pValue());
    }
    return o;
  }

  static Bleu bleu(JsonNode options) {
    if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
      throw new IllegalArgumentException("'options' must be an object");
    }
    Bleu.Builder b = Bleu.builder();
    JsonNode tok = options.path("tokenize");
    if (!tok.isMissingNode() && !tok.isNull()) {
      b.tokenize(tok.asText());
    }
    JsonNode lc = options.path("lowercase");
    if (!lc.isMissingNode() && !lc.isNull()) {
      if (!lc.isBoolean()) {
        throw new IllegalArgumentException("'lowercase' must be true or false");
      }
      b.lowercase(lc.asBoolean());
    }
    JsonNode sm = options.path("smooth_method");
    if (!sm.isMissingNode() && !sm.isNull()) {
      b.smoothMethod(sm.asText());
    }
    JsonNode sv = options.path("smooth_value");
    if (!sv.isMissingNode() && !sv.isNull()) {
      if (!sv.isNumber()) {
        throw new IllegalArgumentException("'smooth_value' must be a number or null");
      }
      b.smoothValue(sv.asDouble());
    }
    JsonNode eff = options.path("effective_order");
    if (eff.isBoolean()) {
      b.effectiveOrder(eff.asBoolean());
    }
    return b.build();
  }

  private static long longOption(JsonNode options, String name, long def) {
    JsonNode n = options.path(name);
    if (n.isMissingNode() || n.isNull()) {
      return def;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + name + "' must be an integer");
    }
    return n.asLong();
  }

  private static List<List<String>> streams(JsonNode refs) {
    if (!refs.isArray() || refs.isEmpty()) {
      throw new IllegalArgumentException("'refs' must be a non-empty array of reference streams");
    }
    List<List<String>> out = new ArrayList<>();
    for (int r = 0; r < refs.size(); r++) {
      out.add(strings(refs.get(r), "refs[" + r + "]", true));
    }
    return out;
  }

  private static List<String> strings(JsonNode a, String field) {
    return strings(a, field, false);
  }

  private static List<String> strings(JsonNode a, String field, boolean nullable) {
    if (!a.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array of strings");
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode n : a) {
      if (n.isTextual()) {
        out.add(n.asText());
      } else if (n.isNull() && nullable) {
        out.add(null);
      } else {
        throw new IllegalArgumentException("'" + field + "' must be an array of strings");
      }
    }
    return out;
  }
}
