package dev.conveyor.bleu;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BLEU exactly as sacreBLEU 2.6.0 computes it: same tokenizers, smoothing, effective order, brevity
 * penalty, edge cases and signature. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Bleu bleu = Bleu.builder().tokenizer(Tokenizer.V13A).build();
 * BleuScore s = bleu.corpusScore(hyps, List.of(refs));
 * }</pre>
 */
public final class Bleu {
  private final Tokenizer tokenizer;
  private final boolean lowercase;
  private final Smoothing smoothing;
  private final Double smoothValue;
  private final Boolean effectiveOrder;

  private Bleu(Builder b) {
    this.tokenizer = b.tokenizer;
    this.lowercase = b.lowercase;
    this.smoothing = b.smoothing;
    this.smoothValue = b.smoothValue;
    this.effectiveOrder = b.effectiveOrder;
  }

  /** sacreBLEU's defaults: {@code 13a}, case-sensitive, {@code exp} smoothing. */
  public static Bleu defaults() {
    return builder().build();
  }

  /** A builder starting from sacreBLEU's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tokenizer. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** Whether text is lowercased before tokenization. */
  public boolean lowercase() {
    return lowercase;
  }

  /** The smoothing method. */
  public Smoothing smoothing() {
    return smoothing;
  }

  /** The smoothing value as given, or null for the method's default. */
  public Double smoothValue() {
    return smoothValue;
  }

  /**
   * Effective order as configured, or null for sacreBLEU's defaults (off for corpus, on for
   * sentence).
   */
  public Boolean effectiveOrder() {
    return effectiveOrder;
  }

  /**
   * Corpus BLEU of {@code hyps} against one or more reference streams, each as long as {@code
   * hyps}.
   */
  public BleuScore corpusScore(List<String> hyps, List<? extends List<String>> refStreams) {
    return score(corpusStats(hyps, references(refStreams)));
  }

  /** Corpus BLEU of {@code hyps} against already tokenized references. */
  public BleuScore corpusScore(List<String> hyps, ReferenceSet refs) {
    return score(corpusStats(hyps, refs));
  }

  /**
   * Sentence BLEU of one hypothesis against its references, as {@code sacrebleu.sentence_bleu}:
   * with effective order unless the builder turned it off.
   */
  public BleuScore sentenceScore(String hyp, List<String> refs) {
    Objects.requireNonNull(refs, "refs");
    List<List<String>> streams = new ArrayList<>(refs.size());
    for (String r : refs) {
      List<String> one = new ArrayList<>(1);
      one.add(r);
      streams.add(one);
    }
    return sentenceScores(List.of(Objects.requireNonNull(hyp, "hyp")), streams).get(0);
  }

  /** Sentence BLEU of every line, against reference streams as long as {@code hyps}. */
  public List<BleuScore> sentenceScores(
      List<String> hyps, List<? extends List<String>> refStreams) {
    ReferenceSet refs = references(refStreams);
    CorpusStats stats = corpusStats(hyps, refs);
    boolean eff = effectiveOrder == null || effectiveOrder;
    List<BleuScore> out = new ArrayList<>(stats.size());
    long[] seg = new long[CorpusStats.WIDTH];
    int[] flat = stats.flat();
    for (int i = 0; i < stats.size(); i++) {
      for (int j = 0; j < CorpusStats.WIDTH; j++) {
        seg[j] = flat[i * CorpusStats.WIDTH + j];
      }
      out.add(score(seg, eff, signature(refs.tokens[i].length, eff)));
    }
    return out;
  }

  /** Tokenizes reference streams once, for scoring several systems against them. */
  public ReferenceSet references(List<? extends List<String>> refStreams) {
    return ReferenceSet.build(this, refStreams);
  }

  /** Per-segment statistics of {@code hyps}, the input of {@link #score} and the paired tests. */
  public CorpusStats corpusStats(List<String> hyps, ReferenceSet refs) {
    Objects.requireNonNull(hyps, "hyps");
    if (refs.owner != this && !sameConfig(refs.owner)) {
      throw new IllegalArgumentException("references were prepared with a different configuration");
    }
    if (hyps.size() != refs.size()) {
      throw new IllegalArgumentException(
          "hypotheses have " + hyps.size() + " lines but references have " + refs.size());
    }
    if (hyps.isEmpty()) {
      throw new IllegalArgumentException("no hypotheses given");
    }
    int n = hyps.size();
    int[] flat = new int[n * CorpusStats.WIDTH];
    NgramMatcher matcher = new NgramMatcher();
    Scratch scratch = new Scratch();
    for (int i = 0; i < n; i++) {
      String hyp = hyps.get(i);
      if (hyp == null) {
        throw new IllegalArgumentException("hypothesis line " + (i + 1) + " is null");
      }
      tokenIds(hyp, refs.interner, scratch);
      matcher.segment(
          scratch.ids,
          scratch.idCount,
          refs.tokens[i],
          refs.interner.size(),
          flat,
          i * CorpusStats.WIDTH);
    }
    return new CorpusStats(flat, n, refs.numRefs);
  }

  /** Corpus BLEU from per-segment statistics. */
  public BleuScore score(CorpusStats stats) {
    boolean eff = effectiveOrder != null && effectiveOrder;
    return score(stats.sum(), eff, signature(stats.numRefs(), eff));
  }

  /** The signature of corpus scores with {@code numRefs} references (-1 for a varying number). */
  public Signature signature(int numRefs) {
    return signature(numRefs, effectiveOrder != null && effectiveOrder);
  }

  /** The signature of sentence scores with {@code numRefs} references. */
  public Signature sentenceSignature(int numRefs) {
    return signature(numRefs, effectiveOrder == null || effectiveOrder);
  }

  /** The tokens of one line after lowercasing and stripping, joined by spaces (for inspection). */
  public String preprocess(String line) {
    return tokenizer.tokenize(prepare(line));
  }

  Signature signature(int numRefs, boolean eff) {
    return new Signature(
        numRefs, null, null, null, lowercase, eff, tokenizer, smoothing, smoothValue);
  }

  double smoothValueOrDefault() {
    if (smoothValue != null) {
      return smoothValue;
    }
    Double d = smoothing.defaultValue();
    return d == null ? 0.0 : d;
  }

  boolean corpusEffectiveOrder() {
    return effectiveOrder != null && effectiveOrder;
  }

  private BleuScore score(long[] sums, boolean eff, Signature signature) {
    int order = NgramMatcher.ORDER;
    double[] correct = new double[order];
    double[] total = new double[order];
    for (int i = 0; i < order; i++) {
      correct[i] = sums[2 + i];
      total[i] = sums[2 + order + i];
    }
    double[] precisions = new double[order];
    double score =
        BleuMath.score(
            sums[0],
            sums[1],
            correct,
            total,
            smoothing,
            smoothValueOrDefault(),
            eff,
            BleuMath.Storage.PYTHON,
            precisions);
    return new BleuScore(
        score,
        correct,
        total,
        precisions,
        BleuMath.brevityPenalty(sums[0], sums[1]),
        sums[0],
        sums[1],
        signature.format());
  }

  private String prepare(String line) {
    return PyStrings.rstrip(lowercase ? PyStrings.lower(line) : line);
  }

  /** Tokenizes one line into {@code scratch.ids}, interning the tokens. */
  void tokenIds(String line, TokenInterner interner, Scratch scratch) {
    tokenizer.spaced(prepare(line), scratch);
    scratch.idCount = 0;
    Tokens.split(
        scratch.out,
        scratch.outLength,
        (s, start, end) -> scratch.addId(interner.intern(s, start, end)));
  }

  private boolean sameConfig(Bleu o) {
    return tokenizer == o.tokenizer && lowercase == o.lowercase;
  }

  /** Options of {@link Bleu}, named as sacreBLEU's {@code BLEU(...)} arguments. */
  public static final class Builder {
    private Tokenizer tokenizer = Tokenizer.V13A;
    private boolean lowercase;
    private Smoothing smoothing = Smoothing.EXP;
    private Double smoothValue;
    private Boolean effectiveOrder;

    private Builder() {}

    /** The tokenizer ({@code 13a} by default). */
    public Builder tokenizer(Tokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /** The tokenizer by sacreBLEU name; an unknown name is an {@link IllegalArgumentException}. */
    public Builder tokenize(String name) {
      return tokenizer(Tokenizer.fromName(name));
    }

    /** Case-insensitive scoring (sacreBLEU's {@code -lc}). */
    public Builder lowercase(boolean lowercase) {
      this.lowercase = lowercase;
      return this;
    }

    /** The smoothing method ({@code exp} by default). */
    public Builder smoothing(Smoothing smoothing) {
      this.smoothing = Objects.requireNonNull(smoothing, "smoothing");
      return this;
    }

    /**
     * The smoothing method by sacreBLEU name; an unknown name is an {@link
     * IllegalArgumentException}.
     */
    public Builder smoothMethod(String name) {
      return smoothing(Smoothing.fromName(name));
    }

    /**
     * The value for {@code floor} and {@code add-k}; null for the default, ignored by the others.
     */
    public Builder smoothValue(Double value) {
      if (value != null && !Double.isFinite(value)) {
        throw new IllegalArgumentException("smoothing value must be finite, got " + value);
      }
      this.smoothValue = value;
      return this;
    }

    /**
     * Forces effective order on or off; by default it is off for corpus and on for sentence BLEU.
     */
    public Builder effectiveOrder(Boolean effectiveOrder) {
      this.effectiveOrder = effectiveOrder;
      return this;
    }

    /** The metric. */
    public Bleu build() {
      return new Bleu(this);
    }
  }
}
