package dev.conveyor.registry.ui;

import dev.conveyor.registry.service.Views;
import io.quarkus.qute.TemplateData;
import java.util.List;
import java.util.Locale;

/** A run's loss curve drawn as an SVG polyline, computed on the server. */
@TemplateData
public record LossCurve(
    int width,
    int height,
    String points,
    String minLoss,
    String maxLoss,
    long firstStep,
    long lastStep,
    int count) {
  static final int WIDTH = 360;
  static final int HEIGHT = 110;
  static final int PAD = 6;

  /** Height of the drawing with its caption. */
  public int svgHeight() {
    return height + 16;
  }

  /** Baseline of the caption. */
  public int labelY() {
    return height + 12;
  }

  /** The curve of these points, or null when there are fewer than two. */
  public static LossCurve of(List<Views.LossPoint> curve) {
    if (curve == null || curve.size() < 2) {
      return null;
    }
    long s0 = curve.get(0).step();
    long s1 = curve.get(curve.size() - 1).step();
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (Views.LossPoint p : curve) {
      lo = Math.min(lo, p.loss());
      hi = Math.max(hi, p.loss());
    }
    double spanX = Math.max(1, s1 - s0);
    double spanY = hi - lo < 1e-12 ? 1 : hi - lo;
    StringBuilder sb = new StringBuilder();
    for (Views.LossPoint p : curve) {
      double x = PAD + (p.step() - s0) / spanX * (WIDTH - 2 * PAD);
      double y = PAD + (hi - p.loss()) / spanY * (HEIGHT - 2 * PAD);
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return new LossCurve(
        WIDTH,
        HEIGHT,
        sb.toString(),
        String.format(Locale.ROOT, "%.3f", lo),
        String.format(Locale.ROOT, "%.3f", hi),
        s0,
        s1,
        curve.size());
  }
}
