package dev.conveyor.bleu;

import java.util.Locale;

/** BLEU smoothing methods of Chen and Cherry (2014), named and defaulted as in sacreBLEU. */
public enum Smoothing {
  /** No smoothing. */
  NONE("none", null),
  /** Method 1: a zero match count becomes {@code value} (default 0.1). */
  FLOOR("floor", 0.1),
  /** Method 2: add {@code value} (default 1) to matches and totals for n &gt; 1. */
  ADD_K("add-k", 1.0),
  /** Method 3, NIST's geometric decay, as in mteval-v13a.pl; sacreBLEU's default. */
  EXP("exp", null);

  private final String sacrebleuName;
  private final Double defaultValue;

  Smoothing(String sacrebleuName, Double defaultValue) {
    this.sacrebleuName = sacrebleuName;
    this.defaultValue = defaultValue;
  }

  /** The name sacreBLEU uses on its command line and in the signature. */
  public String sacrebleuName() {
    return sacrebleuName;
  }

  /** The value used when none is given, or null for methods that take no value. */
  public Double defaultValue() {
    return defaultValue;
  }

  /** Looks a smoothing method up by its sacreBLEU name. */
  public static Smoothing fromName(String name) {
    for (Smoothing s : values()) {
      if (s.sacrebleuName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "unknown smoothing method '%s' (expected one of exp, floor, add-k, none)",
            name));
  }
}
