package dev.conveyor.benchmarks.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Command-line flags ({@code --name value}) and the synthetic corpus shared by the harnesses. */
final class BenchArgs {

  private final String[] args;

  BenchArgs(String[] args) {
    this.args = args;
  }

  int integer(String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /**
   * Pseudo-English documents: words built from syllables with a Zipf-like frequency, enough variety
   * for a byte-level BPE to fill a few thousand merges.
   */
  static List<String> corpus(int documents, long seed) {
    String[] syllables = {
      "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "pa", "qu", "ri", "do", "fe", "gu",
      "ha", "ji", "ko", "lu", "ma", "no", "pe", "ra", "si", "tu", "va", "we", "xo", "yi", "zu"
    };
    Random r = new Random(seed);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      StringBuilder w = new StringBuilder();
      int n = 1 + r.nextInt(4);
      for (int s = 0; s < n; s++) {
        w.append(syllables[r.nextInt(syllables.length)]);
      }
      words.add(w.toString());
    }
    List<String> docs = new ArrayList<>();
    for (int d = 0; d < documents; d++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 120; i++) {
        int rank =
            (int)
                Math.min(
                    words.size() - 1,
                    Math.floor(Math.exp(r.nextDouble() * Math.log(words.size()))));
        sb.append(words.get(rank)).append(i % 12 == 11 ? ". " : " ");
      }
      docs.add(sb.toString());
    }
    return docs;
  }
}
