package dev.conveyor.bleu;

import java.util.Locale;

/** The sacreBLEU tokenizers this library reproduces, by their sacreBLEU names. */
public enum Tokenizer {
  /** {@code 13a}: mteval-v13a.pl, sacreBLEU's default. */
  V13A("13a"),
  /**
   * {@code intl}: mteval-v14.pl's international tokenization on Unicode punctuation and symbols.
   */
  INTL("intl"),
  /** {@code char}: every character is a token. */
  CHAR("char"),
  /** {@code none}: whitespace splitting only. */
  NONE("none");

  private final String sacrebleuName;

  Tokenizer(String sacrebleuName) {
    this.sacrebleuName = sacrebleuName;
  }

  /** The name sacreBLEU uses on its command line and in the signature's {@code tok:} field. */
  public String sacrebleuName() {
    return sacrebleuName;
  }

  /** Looks a tokenizer up by its sacreBLEU name. */
  public static Tokenizer fromName(String name) {
    for (Tokenizer t : values()) {
      if (t.sacrebleuName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        String.format(
            Locale.ROOT, "unknown tokenizer '%s' (expected one of 13a, intl, char, none)", name));
  }

  /**
   * Tokenizes one line exactly as sacreBLEU's tokenizer object does, returning the tokens joined by
   * single spaces (lowercasing and the trailing-whitespace strip are the metric's job, not this).
   */
  public String tokenize(String line) {
    Scratch scratch = new Scratch();
    spaced(line, scratch);
    StringBuilder out = new StringBuilder();
    Tokens.split(
        scratch.out,
        scratch.outLength,
        (s, start, end) -> {
          if (!out.isEmpty()) {
            out.append(' ');
          }
          out.append(s, start, end - start);
        });
    return out.toString();
  }

  /** Writes text whose Python-whitespace split gives this tokenizer's tokens to {@code s.out}. */
  void spaced(String line, Scratch s) {
    switch (this) {
      case V13A -> Tokenizer13a.spaced(line, s);
      case INTL -> s.setOut(TokenizerIntl.spaced(line));
      case CHAR -> s.setOut(TokenizerChar.spaced(line));
      case NONE -> s.setOut(line);
    }
  }
}
