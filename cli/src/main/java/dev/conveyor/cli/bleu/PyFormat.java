package dev.conveyor.cli.bleu;

import dev.conveyor.bleu.BleuScore;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** sacreBLEU's text renderings of scores, with Python's rounding of the exact binary value. */
final class PyFormat {
  private PyFormat() {}

  /** Python's {@code f"{x:.Nf}"}: half-even on the exact value, unlike {@code String.format}. */
  static String fixed(double x, int decimals) {
    if (!Double.isFinite(x)) {
      return Double.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
    }
    String s = new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return (x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-") ? "-" + s : s;
  }

  /** {@code BLEUScore._verbose}: precisions, brevity penalty, ratio and lengths. */
  static String verbose(BleuScore s) {
    StringBuilder prec = new StringBuilder();
    for (double p : s.precisions()) {
      if (prec.length() > 0) {
        prec.append('/');
      }
      prec.append(fixed(p, 1));
    }
    double ratio = s.refLen() != 0 ? (double) s.sysLen() / s.refLen() : 0;
    return prec
        + " (BP = "
        + fixed(s.bp(), 3)
        + " ratio = "
        + fixed(ratio, 3)
        + " hyp_len = "
        + s.sysLen()
        + " ref_len = "
        + s.refLen()
        + ")";
  }

  /** {@code Score.format(width, score_only, signature)} in text mode. */
  static String line(BleuScore s, int width, boolean scoreOnly) {
    String sc = fixed(s.score(), width);
    return scoreOnly ? sc : "BLEU|" + s.signature() + " = " + sc + " " + verbose(s);
  }
}
