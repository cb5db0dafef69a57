package dev.conveyor.bleu;

import java.util.Arrays;
import java.util.List;

/**
 * Reference streams tokenized once for one {@link Bleu} configuration, so that several systems can
 * be scored against them without repeating the work. Not thread-safe: hypotheses scored against it
 * are interned into its vocabulary.
 */
public final class ReferenceSet {
  final Bleu owner;
  final TokenInterner interner;
  final int[][][] tokens;
  final int numRefs;

  private ReferenceSet(Bleu owner, TokenInterner interner, int[][][] tokens, int numRefs) {
    this.owner = owner;
    this.interner = interner;
    this.tokens = tokens;
    this.numRefs = numRefs;
  }

  /** Number of segments. */
  public int size() {
    return tokens.length;
  }

  /** References per segment, or -1 when some segments have fewer (null) references. */
  public int numRefs() {
    return numRefs;
  }

  static ReferenceSet build(Bleu bleu, List<? extends List<String>> streams) {
    if (streams == null || streams.isEmpty()) {
      throw new IllegalArgumentException("no reference streams given");
    }
    int n = streams.get(0).size();
    for (int r = 1; r < streams.size(); r++) {
      if (streams.get(r).size() != n) {
        throw new IllegalArgumentException(
            "reference stream "
                + (r + 1)
                + " has "
                + streams.get(r).size()
                + " lines but reference stream 1 has "
                + n);
      }
    }
    TokenInterner interner = new TokenInterner();
    int[][][] tokens = new int[n][][];
    int numRefs = -2;
    int[][] buf = new int[streams.size()][];
    Scratch scratch = new Scratch();
    for (int i = 0; i < n; i++) {
      int k = 0;
      for (List<String> stream : streams) {
        String ref = stream.get(i);
        // A null reference is a missing one, as sacreBLEU allows for variable reference counts.
        if (ref != null) {
          bleu.tokenIds(ref, interner, scratch);
          buf[k++] = Arrays.copyOf(scratch.ids, scratch.idCount);
        }
      }
      if (k == 0) {
        throw new IllegalArgumentException("segment " + (i + 1) + " has no reference");
      }
      tokens[i] = Arrays.copyOf(buf, k);
      numRefs = numRefs == -2 || numRefs == k ? k : -1;
    }
    return new ReferenceSet(bleu, interner, tokens, numRefs == -2 ? streams.size() : numRefs);
  }
}
