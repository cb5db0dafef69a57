package dev.conveyor.bleu;

/**
 * A bit-exact port of what sacreBLEU draws from {@code numpy.random.default_rng(seed)} (numpy
 * 1.24): {@code SeedSequence} seeding of a {@code PCG64} generator, {@code Generator.choice(n,
 * size, replace=True)} and {@code Generator.integers(2, size, dtype=bool)}.
 *
 * <p>sacreBLEU 2.x uses the new {@code Generator} API (PCG64), not the legacy MT19937 {@code
 * RandomState}, so reproducing its paired tests means reproducing these exact streams.
 */
final class NumpyRandom {
  private static final long MULT_HIGH = 2549297995355413924L;
  private static final long MULT_LOW = 4865540595714422341L;

  private long stateHigh;
  private long stateLow;
  private final long incHigh;
  private final long incLow;
  // PCG64 hands out 64-bit words; a 32-bit draw uses the low half and keeps the high half for the
  // next.
  private boolean hasUint32;
  private int uinteger;

  NumpyRandom(long seed) {
    if (seed < 0) {
      throw new IllegalArgumentException("seed must be non-negative, got " + seed);
    }
    long[] words = SeedSequence.generateState64(seed, 4);
    long initHigh = words[0];
    long initLow = words[1];
    long seqHigh = words[2];
    long seqLow = words[3];
    // inc = (initseq << 1) | 1 over 128 bits
    incHigh = (seqHigh << 1) | (seqLow >>> 63);
    incLow = (seqLow << 1) | 1L;
    stateHigh = 0;
    stateLow = 0;
    step();
    long lo = stateLow + initLow;
    stateHigh = stateHigh + initHigh + (Long.compareUnsigned(lo, stateLow) < 0 ? 1 : 0);
    stateLow = lo;
    step();
  }

  /** The 128-bit state as (high, low), for tests against numpy's {@code bit_generator.state}. */
  long[] state() {
    return new long[] {stateHigh, stateLow, incHigh, incLow};
  }

  private void step() {
    long lo = stateLow * MULT_LOW;
    long hi =
        unsignedMultiplyHigh(stateLow, MULT_LOW) + stateLow * MULT_HIGH + stateHigh * MULT_LOW;
    long newLo = lo + incLow;
    stateHigh = hi + incHigh + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
    stateLow = newLo;
  }

  /** {@code pcg64_next64}: advance, then the XSL-RR output of the new state. */
  long nextLong() {
    step();
    return Long.rotateRight(stateHigh ^ stateLow, (int) (stateHigh >>> 58));
  }

  /** {@code pcg64_next32}, unsigned in the low 32 bits of the result. */
  long nextUint32() {
    if (hasUint32) {
      hasUint32 = false;
      return uinteger & 0xFFFFFFFFL;
    }
    long next = nextLong();
    hasUint32 = true;
    uinteger = (int) (next >>> 32);
    return next & 0xFFFFFFFFL;
  }

  /**
   * One draw of {@code choice(n, replace=True)}, i.e. {@code integers(0, n)}: Lemire's bounded
   * method on 32-bit words, as numpy uses whenever {@code n - 1} fits in 32 bits.
   */
  int nextIndex(int n) {
    long rng = n - 1L;
    if (rng == 0) {
      return 0;
    }
    long rngExcl = rng + 1;
    long m = nextUint32() * rngExcl;
    long leftover = m & 0xFFFFFFFFL;
    if (leftover < rngExcl) {
      long threshold = (0xFFFFFFFFL - rng) % rngExcl;
      while (leftover < threshold) {
        m = nextUint32() * rngExcl;
        leftover = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Fills {@code out} as {@code choice(n, size=out.length, replace=True)} would. */
  void fillIndices(int n, int[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = nextIndex(n);
    }
  }

  /**
   * A source of {@code integers(2, size=count, dtype=bool)} values: numpy spends one 32-bit word on
   * 32 booleans, lowest bit first, within a single call.
   */
  BoolStream bools() {
    return new BoolStream();
  }

  /** The booleans of one {@code integers(2, dtype=bool)} call, drawn one at a time. */
  final class BoolStream {
    private long buf;
    private int bcnt;

    boolean next() {
      if (bcnt == 0) {
        buf = nextUint32();
        bcnt = 31;
      } else {
        buf >>>= 1;
        bcnt--;
      }
      return (buf & 1L) != 0;
    }
  }

  static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /** numpy's {@code SeedSequence} (O'Neill's seed_seq_fe with a pool of four 32-bit words). */
  static final class SeedSequence {
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int POOL_SIZE = 4;

    private SeedSequence() {}

    static int[] pool(long seed) {
      // An int entropy becomes its little-endian 32-bit words; 0 is the single word 0.
      int[] entropy =
          (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
      int[] hashConst = {INIT_A};
      int[] mixer = new int[POOL_SIZE];
      for (int i = 0; i < POOL_SIZE; i++) {
        mixer[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
      }
      for (int src = 0; src < POOL_SIZE; src++) {
        for (int dst = 0; dst < POOL_SIZE; dst++) {
          if (src != dst) {
            mixer[dst] = mix(mixer[dst], hashmix(mixer[src], hashConst));
          }
        }
      }
      for (int src = POOL_SIZE; src < entropy.length; src++) {
        for (int dst = 0; dst < POOL_SIZE; dst++) {
          mixer[dst] = mix(mixer[dst], hashmix(entropy[src], hashConst));
        }
      }
      return mixer;
    }

    static long[] generateState64(long seed, int nWords) {
      int[] pool = pool(seed);
      int hashConst = INIT_B;
      int[] words = new int[nWords * 2];
      for (int i = 0; i < words.length; i++) {
        int v = pool[i % POOL_SIZE];
        v ^= hashConst;
        hashConst *= MULT_B;
        v *= hashConst;
        v ^= v >>> 16;
        words[i] = v;
      }
      long[] out = new long[nWords];
      for (int i = 0; i < nWords; i++) {
        out[i] = (words[2 * i] & 0xFFFFFFFFL) | ((long) words[2 * i + 1] << 32);
      }
      return out;
    }

    private static int hashmix(int value, int[] hashConst) {
      value ^= hashConst[0];
      hashConst[0] *= MULT_A;
      value *= hashConst[0];
      value ^= value >>> 16;
      return value;
    }

    private static int mix(int x, int y) {
      int result = MIX_MULT_L * x - MIX_MULT_R * y;
      result ^= result >>> 16;
      return result;
    }
  }
}
