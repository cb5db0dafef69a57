package dev.conveyor.benchmarks.bleu;

import dev.conveyor.bleu.Bleu;
import dev.conveyor.bleu.BleuScore;
import dev.conveyor.bleu.PairedBootstrap;
import dev.conveyor.bleu.PairedResult;
import dev.conveyor.bleu.SystemResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conveyor BLEU against sacreBLEU in the same run: corpus BLEU on 100k sentence pairs and a
 * 1000-resample paired bootstrap on 2k sentences, on identical deterministic data, both
 * single-threaded. Checks the numbers are identical and prints a markdown table.
 *
 * <p>Usage: {@code BleuBenchmark --work DIR --sacrebleu PATH --peer sacrebleu_peer.py [--pairs
 * 100000] [--bs-pairs 2000] [--rounds 5] [--out FILE]}
 */
public final class BleuBenchmark {
  private BleuBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parseArgs(args);
    Path work = Path.of(a.getOrDefault("--work", "target/bleu-bench"));
    Path sacrebleu = Path.of(a.getOrDefault("--sacrebleu", "../shared/peers/sacrebleu"));
    Path peer = Path.of(a.getOrDefault("--peer", "benchmarks/bleu/sacrebleu_peer.py"));
    int pairs = Integer.parseInt(a.getOrDefault("--pairs", "100000"));
    int bsPairs = Integer.parseInt(a.getOrDefault("--bs-pairs", "2000"));
    int rounds = Integer.parseInt(a.getOrDefault("--rounds", "5"));
    String outFile = a.get("--out");
    Files.createDirectories(work);

    Corpus corpus = Corpus.generate(pairs, 42);
    Corpus bs = Corpus.generate(bsPairs, 7);
    List<String> bsSys = Corpus.perturb(bs.refs, 0.15, 8);
    write(work.resolve("refs.txt"), corpus.refs);
    write(work.resolve("hyps.txt"), corpus.hyps);
    write(work.resolve("bs_refs.txt"), bs.refs);
    write(work.resolve("bs_base.txt"), bs.hyps);
    write(work.resolve("bs_sys.txt"), bsSys);

    // Warm the JIT up, then alternate one Java run and one sacreBLEU run per round, so that both
    // sides see the same load when the machine is shared.
    Bleu bleu = Bleu.defaults();
    BleuScore score = null;
    PairedResult paired = null;
    for (int i = 0; i < 3; i++) {
      score = bleu.corpusScore(corpus.hyps, List.of(corpus.refs));
    }
    for (int i = 0; i < 10; i++) {
      paired = bootstrap(bs, bsSys);
    }
    double[] corpusTimes = new double[rounds];
    double[] pyCorpusTimes = new double[rounds];
    String pyCorpus = null;
    for (int r = 0; r < rounds; r++) {
      System.err.printf(
          Locale.ROOT, "corpus BLEU on %d pairs, round %d/%d%n", pairs, r + 1, rounds);
      long t = System.nanoTime();
      score = Bleu.defaults().corpusScore(corpus.hyps, List.of(corpus.refs));
      corpusTimes[r] = (System.nanoTime() - t) / 1e9;
      pyCorpus = peer(peer, sacrebleu, work, "corpus");
      pyCorpusTimes[r] = number(pyCorpus, "seconds");
    }
    double[] bsTimes = new double[rounds];
    double[] pyBsTimes = new double[rounds];
    String pyBs = null;
    for (int r = 0; r < rounds; r++) {
      System.err.printf(
          Locale.ROOT, "paired bootstrap on %d pairs, round %d/%d%n", bsPairs, r + 1, rounds);
      long t = System.nanoTime();
      paired = bootstrap(bs, bsSys);
      bsTimes[r] = (System.nanoTime() - t) / 1e9;
      pyBs = peer(peer, sacrebleu, work, "bs");
      pyBsTimes[r] = number(pyBs, "seconds");
    }
    String py = pyCorpus + pyBs;

    SystemResult base = paired.baseline();
    SystemResult sys = paired.systems().get("sys");
    List<String[]> rows = new ArrayList<>();
    double javaCorpus = median(corpusTimes);
    double pyCorpusMedian = median(pyCorpusTimes);
    double javaBs = median(bsTimes);
    double pyBsMedian = median(pyBsTimes);
    double corpusDelta = Math.abs(score.score() - number(py, "corpus_score"));
    boolean corpusSame =
        corpusDelta == 0 && score.signature().equals(string(py, "corpus_signature"));
    double[][] bsCompared = {
      {base.score(), number(py, "bs_base_score")},
      {base.mean(), number(py, "bs_base_mean")},
      {base.ci(), number(py, "bs_base_ci")},
      {sys.score(), number(py, "bs_sys_score")},
      {sys.mean(), number(py, "bs_sys_mean")},
      {sys.ci(), number(py, "bs_sys_ci")},
      {sys.pValue(), number(py, "bs_p_value")}
    };
    double bsDelta = 0;
    for (double[] pair : bsCompared) {
      bsDelta = Math.max(bsDelta, Math.abs(pair[0] - pair[1]));
    }
    boolean bsSigSame = paired.signature().format().equals(string(py, "bs_signature"));
    boolean bsSame = bsDelta == 0 && bsSigSame;
    rows.add(
        new String[] {
          "corpus BLEU, " + pairs / 1000 + "k pairs",
          secs(javaCorpus),
          secs(pyCorpusMedian),
          String.format(Locale.ROOT, "%.1f×", pyCorpusMedian / javaCorpus),
          verdict(corpusDelta, score.signature().equals(string(py, "corpus_signature"))),
          String.format(Locale.ROOT, "%.6f", score.score())
        });
    rows.add(
        new String[] {
          "paired bootstrap, 1000 resamples, " + bsPairs / 1000 + "k sentences",
          secs(javaBs),
          secs(pyBsMedian),
          String.format(Locale.ROOT, "%.1f×", pyBsMedian / javaBs),
          verdict(bsDelta, bsSigSame),
          String.format(
              Locale.ROOT,
              "sys %.6f (μ %.6f ± %.6f), p = %.6f",
              sys.score(),
              sys.mean(),
              sys.ci(),
              sys.pValue())
        });

    StringBuilder md = new StringBuilder();
    md.append("| Benchmark | Conveyor (Java) | sacreBLEU ")
        .append(string(py, "sacrebleu"))
        .append(" | Speed-up | Numbers | Value |\n");
    md.append("|---|---:|---:|---:|---|---|\n");
    for (String[] r : rows) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    String cpu = cpuModel();
    md.append('\n')
        .append("Median wall time over ")
        .append(rounds)
        .append(" rounds, each one Java run then one sacreBLEU run (Java after 3 warm-up runs for")
        .append(" corpus BLEU, 10 for the bootstrap), both single-threaded, from in-memory strings")
        .append(" (tokenization included; sacreBLEU builds fresh metric objects each run). ")
        .append(
            "\"identical\" means every number is equal with `==` (scores; bootstrap means, CIs and p-value) ")
        .append(
            "and the signature strings are equal; otherwise the largest absolute difference is shown.\n\n")
        .append("Machine: ")
        .append(cpu)
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores (load average ")
        .append(loadAverage())
        .append(" when done; the machine may have been shared); Java ")
        .append(System.getProperty("java.version"))
        .append("; Python ")
        .append(string(py, "python"))
        .append(", numpy ")
        .append(string(py, "numpy"))
        .append(". Date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".\n\nSignatures: `")
        .append(score.signature())
        .append("`, `")
        .append(paired.signature().format())
        .append("`.\n");
    System.out.print(md);
    if (outFile != null) {
      Files.writeString(Path.of(outFile), "# BLEU benchmark: Conveyor vs sacreBLEU\n\n" + md);
    }
    // The gate needs the scores equal to the last bit; the bootstrap statistics may differ in the
    // last bits where Java's and glibc's exp/log round differently, far below sacreBLEU's 1e-9.
    if (!corpusSame || !bsSigSame || bsDelta > 1e-9) {
      System.err.println("numbers differ from sacreBLEU: " + py);
      System.exit(1);
    }
    if (!bsSame) {
      System.err.println("bootstrap statistics equal sacreBLEU's to " + bsDelta);
    }
  }

  /** One timed sacreBLEU run of {@code mode} in a fresh interpreter; returns its JSON line. */
  private static String peer(Path peer, Path sacrebleu, Path work, String mode)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/python3", peer.toString(), work.toString(), mode);
    pb.environment().put("PYTHONPATH", sacrebleu.toString());
    pb.environment().put("SACREBLEU_SEED", "12345");
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("sacreBLEU peer failed: " + out);
    }
    return out;
  }

  private static String verdict(double maxDelta, boolean sameSignature) {
    if (!sameSignature) {
      return "SIGNATURE DIFFERS";
    }
    return maxDelta == 0
        ? "identical"
        : String.format(Locale.ROOT, "max abs. difference %.1e", maxDelta);
  }

  private static PairedResult bootstrap(Corpus bs, List<String> sys) {
    return PairedBootstrap.run(
        Bleu.defaults(), bs.hyps, Map.of("sys", sys), List.of(bs.refs), 1000, 12345);
  }

  private static String secs(double s) {
    return s < 1
        ? String.format(Locale.ROOT, "%.0f ms", s * 1000)
        : String.format(Locale.ROOT, "%.2f s", s);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  // The peer prints one flat JSON object; these pick fields out of it without a JSON library.
  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + key + " in " + json);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String string(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\": \"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + key + " in " + json);
    }
    return m.group(1);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException ignored) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  private static void write(Path p, List<String> lines) throws IOException {
    Files.write(p, lines, StandardCharsets.UTF_8);
  }

  private static Map<String, String> parseArgs(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      m.put(args[i], args[i + 1]);
    }
    return m;
  }

  /** Deterministic detokenized English-like text with punctuation, numbers and Zipfian words. */
  static final class Corpus {
    final List<String> refs;
    final List<String> hyps;

    private Corpus(List<String> refs, List<String> hyps) {
      this.refs = refs;
      this.hyps = hyps;
    }

    private static final String[] SYLLABLES = {
      "ka", "lo", "re", "mi", "tan", "sor", "pe", "vi", "dus", "ne", "qua", "bri", "mon", "el",
      "ast", "ur", "gen", "tio", "pla", "cor"
    };
    private static final String[] PUNCT = {",", ".", ";", ":", "?", "!"};

    static Corpus generate(int n, long seed) {
      SplittableRandom rnd = new SplittableRandom(seed);
      String[] vocab = vocabulary(20_000, rnd);
      List<String> refs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = 5 + rnd.nextInt(36);
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < len; j++) {
          if (j > 0) {
            s.append(' ');
          }
          String w = zipf(vocab, rnd);
          if (j == 0 || rnd.nextInt(20) == 0) {
            w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
          }
          int r = rnd.nextInt(100);
          if (r < 3) {
            w = rnd.nextInt(10_000) + "." + rnd.nextInt(100);
          } else if (r < 5) {
            w = "(" + w + ")";
          } else if (r < 7) {
            w = "\"" + w + "\"";
          } else if (r < 8) {
            w = (1990 + rnd.nextInt(40)) + "-" + (2000 + rnd.nextInt(40));
          }
          s.append(w);
          if (rnd.nextInt(8) == 0) {
            s.append(PUNCT[rnd.nextInt(PUNCT.length)]);
          }
        }
        s.append('.');
        refs.add(s.toString());
      }
      return new Corpus(refs, perturb(refs, 0.3, seed + 1));
    }

    static List<String> perturb(List<String> refs, double level, long seed) {
      SplittableRandom rnd = new SplittableRandom(seed);
      List<String> out = new ArrayList<>(refs.size());
      for (String ref : refs) {
        List<String> words = new ArrayList<>(Arrays.asList(ref.split(" ")));
        List<String> h = new ArrayList<>(words.size());
        for (String w : words) {
          double r = rnd.nextDouble();
          if (r < level * 0.3) {
            continue;
          } else if (r < level * 0.6) {
            h.add(words.get(rnd.nextInt(words.size())));
          } else {
            h.add(w);
          }
          if (rnd.nextDouble() < level * 0.1 && h.size() > 1) {
            int k = rnd.nextInt(h.size() - 1);
            h.set(k, h.set(k + 1, h.get(k)));
          }
        }
        out.add(String.join(" ", h));
      }
      return out;
    }

    private static String[] vocabulary(int size, SplittableRandom rnd) {
      String[] v = new String[size];
      for (int i = 0; i < size; i++) {
        StringBuilder w = new StringBuilder();
        int syl = 1 + rnd.nextInt(3);
        for (int j = 0; j < syl; j++) {
          w.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
        }
        v[i] = w.toString();
      }
      return v;
    }

    private static String zipf(String[] vocab, SplittableRandom rnd) {
      // Inverse-CDF of a 1/rank law, cheap closed form: rank = exp(u * ln(N)).
      int rank = (int) Math.exp(rnd.nextDouble() * Math.log(vocab.length));
      return vocab[Math.min(vocab.length - 1, Math.max(0, rank - 1))];
    }
  }
}
