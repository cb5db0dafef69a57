package dev.conveyor.bleu;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * sacreBLEU's reproducibility signature for BLEU, e.g. {@code
 * nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}.
 *
 * @param numRefs references per segment, or -1 when it varies ({@code nrefs:var})
 * @param bootstrapSamples bootstrap resamples ({@code bs:}), or null
 * @param arTrials approximate randomization trials ({@code ar:}), or null
 * @param seed the seed of a significance test ({@code seed:}), or null
 * @param lowercase whether the score is case-insensitive
 * @param effectiveOrder whether effective n-gram order was used
 * @param tokenizer the tokenizer
 * @param smoothing the smoothing method
 * @param smoothValue the smoothing value given, or null for the method's default
 */
public record Signature(
    int numRefs,
    Integer bootstrapSamples,
    Integer arTrials,
    String seed,
    boolean lowercase,
    boolean effectiveOrder,
    Tokenizer tokenizer,
    Smoothing smoothing,
    Double smoothValue) {

  /** The sacreBLEU release whose numbers and signatures this library reproduces. */
  public static final String SACREBLEU_VERSION = "2.6.0";

  /** This signature with the fields a paired or bootstrap test adds. */
  public Signature withTest(Integer bootstrapSamples, Integer arTrials, String seed) {
    return new Signature(
        numRefs,
        bootstrapSamples,
        arTrials,
        seed,
        lowercase,
        effectiveOrder,
        tokenizer,
        smoothing,
        smoothValue);
  }

  /** The long form, as {@code sacrebleu} prints by default. */
  public String format() {
    return format(false);
  }

  /** The short form, as {@code sacrebleu --short} prints. */
  public String formatShort() {
    return format(true);
  }

  @Override
  public String toString() {
    return format();
  }

  private String format(boolean abbreviate) {
    // The field order is sacreBLEU's: its generic fields, then BLEU's, with the version last.
    List<String> parts = new ArrayList<>();
    parts.add((abbreviate ? "#" : "nrefs") + ":" + (numRefs == -1 ? "var" : numRefs));
    if (bootstrapSamples != null) {
      parts.add("bs:" + bootstrapSamples);
    }
    if (arTrials != null) {
      parts.add("ar:" + arTrials);
    }
    if (seed != null) {
      parts.add((abbreviate ? "rs" : "seed") + ":" + seed);
    }
    parts.add((abbreviate ? "c" : "case") + ":" + (lowercase ? "lc" : "mixed"));
    parts.add((abbreviate ? "e" : "eff") + ":" + (effectiveOrder ? "yes" : "no"));
    parts.add("tok:" + tokenizer.sacrebleuName());
    parts.add((abbreviate ? "s" : "smooth") + ":" + smoothString());
    parts.add((abbreviate ? "v" : "version") + ":" + SACREBLEU_VERSION);
    return String.join("|", parts);
  }

  private String smoothString() {
    Double def = smoothing.defaultValue();
    if (def == null) {
      return smoothing.sacrebleuName();
    }
    double v = smoothValue != null ? smoothValue : def;
    // Python's "{:.2f}" rounds the exact binary value half-to-even; String.format does not.
    return smoothing.sacrebleuName()
        + "["
        + new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString()
        + "]";
  }
}
