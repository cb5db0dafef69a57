package dev.conveyor.bleu;

import java.util.Arrays;

/**
 * sacreBLEU's {@code BLEU.compute_bleu}, with its float operations in its order.
 *
 * <p>sacreBLEU feeds it three kinds of statistics and add-k smoothing writes its sum back into each
 * container, so the container type leaks into the result: Python ints (plain scores), numpy int64
 * rows (approximate randomization, where the write truncates) and numpy float32 sums (bootstrap
 * resamples, where the write rounds to float). {@link Storage} selects which one to mimic.
 *
 * <p>{@code exp} and {@code log} are {@link Math}'s, not {@link StrictMath}'s: on x86-64 HotSpot's
 * intrinsics round like glibc's libm (which sacreBLEU's {@code math.exp/log} call) in all but a few
 * calls in ten thousand, where fdlibm's differ in one call in ten to thirty. Either way results
 * stay within an ulp or two; with Math the stored sacreBLEU vectors match to the last bit.
 */
final class BleuMath {
  /** What holds the n-gram counts while add-k smoothing updates them. */
  enum Storage {
    PYTHON,
    INT64,
    FLOAT32
  }

  private BleuMath() {}

  static double brevityPenalty(long sysLen, long refLen) {
    if (sysLen < refLen) {
      return sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
    }
    return 1.0;
  }

  /**
   * Returns the score; fills {@code precisions} and, for add-k, updates {@code correct} and {@code
   * total} in place as sacreBLEU does.
   */
  static double score(
      long sysLen,
      long refLen,
      double[] correct,
      double[] total,
      Smoothing smoothing,
      double smoothValue,
      boolean effectiveOrder,
      Storage storage,
      double[] precisions) {
    double bp = brevityPenalty(sysLen, refLen);
    int order = correct.length;
    Arrays.fill(precisions, 0.0);
    boolean anyMatch = false;
    for (double c : correct) {
      if (c != 0) {
        anyMatch = true;
        break;
      }
    }
    // sacreBLEU stops early without smoothing when nothing matches (its issue #141).
    if (!anyMatch) {
      return 0.0;
    }
    double smoothMteval = 1.0;
    int effOrder = order;
    for (int n = 1; n <= order; n++) {
      if (smoothing == Smoothing.ADD_K && n > 1) {
        correct[n - 1] = store(correct[n - 1] + smoothValue, storage);
        total[n - 1] = store(total[n - 1] + smoothValue, storage);
      }
      if (total[n - 1] == 0) {
        break;
      }
      if (effectiveOrder) {
        effOrder = n;
      }
      if (correct[n - 1] == 0) {
        if (smoothing == Smoothing.EXP) {
          smoothMteval *= 2;
          precisions[n - 1] = 100. / (smoothMteval * total[n - 1]);
        } else if (smoothing == Smoothing.FLOOR) {
          precisions[n - 1] = 100. * smoothValue / total[n - 1];
        }
      } else {
        precisions[n - 1] = 100. * correct[n - 1] / total[n - 1];
      }
    }
    double logSum = 0;
    for (int i = 0; i < effOrder; i++) {
      logSum += precisions[i] == 0.0 ? -9999999999.0 : Math.log(precisions[i]);
    }
    return bp * Math.exp(logSum / effOrder);
  }

  private static double store(double v, Storage storage) {
    return switch (storage) {
      case PYTHON -> v;
      case INT64 -> (double) (long) v;
      case FLOAT32 -> (double) (float) v;
    };
  }
}
