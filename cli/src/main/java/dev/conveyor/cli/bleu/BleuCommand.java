package dev.conveyor.cli.bleu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.bleu.Bleu;
import dev.conveyor.bleu.BleuScore;
import dev.conveyor.bleu.PairedBootstrap;
import dev.conveyor.bleu.PairedRandomization;
import dev.conveyor.bleu.PairedResult;
import dev.conveyor.bleu.ReferenceSet;
import dev.conveyor.bleu.SystemResult;
import dev.conveyor.bleu.TextLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor bleu}: sacreBLEU-exact BLEU and paired significance tests from the shell. */
@Command(
    name = "bleu",
    mixinStandardHelpOptions = true,
    description = {
      "BLEU exactly as sacreBLEU 2.6.0 computes it, with the same signature.",
      "  conveyor bleu REF [REF...] -i HYP",
      "  conveyor bleu REF -i BASELINE SYS1 SYS2 --paired-bs",
      "  conveyor bleu --jsonl [FILE]   (batch requests, one JSON object per line)"
    })
public final class BleuCommand implements Callable<Integer> {
  /** Exit code for bad input, as the rest of the conveyor command. */
  public static final int BAD_INPUT = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(paramLabel = "REF", arity = "0..*", description = "Reference files, one per stream.")
  List<Path> refs = new ArrayList<>();

  @Option(
      names = {"-i", "--input"},
      arity = "1..*",
      paramLabel = "HYP",
      description =
          "Hypothesis file(s); with a paired test the first is the baseline (default: stdin).")
  List<Path> inputs;

  @Option(
      names = {"-tok", "--tokenize"},
      defaultValue = "13a",
      description = "Tokenizer: 13a, intl, char or none (default: ${DEFAULT-VALUE}).")
  String tokenize;

  @Option(
      names = {"-lc", "--lowercase"},
      description = "Case-insensitive BLEU.")
  boolean lowercase;

  @Option(
      names = {"-s", "--smooth-method"},
      defaultValue = "exp",
      description = "Smoothing: exp, floor, add-k or none (default: ${DEFAULT-VALUE}).")
  String smoothMethod;

  @Option(
      names = {"-sv", "--smooth-value"},
      description = "Value for floor (default 0.1) and add-k (default 1).")
  Double smoothValue;

  @Option(
      names = {"-sl", "--sentence-level"},
      description = "One sentence BLEU per line (effective order on).")
  boolean sentenceLevel;

  @Option(
      names = {"-pbs", "--paired-bs"},
      description = "Paired bootstrap resampling test of each -i system against the first.")
  boolean pairedBs;

  @Option(
      names = {"-par", "--paired-ar"},
      description = "Paired approximate randomization test of each -i system against the first.")
  boolean pairedAr;

  @Option(
      names = {"-pbsn", "--paired-bs-n"},
      defaultValue = "1000",
      description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int pairedBsN;

  @Option(
      names = {"-parn", "--paired-ar-n"},
      defaultValue = "10000",
      description = "Approximate randomization trials (default: ${DEFAULT-VALUE}).")
  int pairedArN;

  @Option(
      names = "--seed",
      defaultValue = "${env:SACREBLEU_SEED:-12345}",
      description = "Seed of the paired tests (default: $SACREBLEU_SEED or 12345).")
  long seed;

  @Option(
      names = {"-w", "--width"},
      defaultValue = "1",
      description = "Decimals of printed scores (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = {"-b", "--score-only"},
      description = "Print only the score.")
  boolean scoreOnly;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Option(
      names = "--jsonl",
      arity = "0..1",
      fallbackValue = "-",
      paramLabel = "FILE",
      description = "Batch mode: answer the JSON requests in FILE (default: stdin), one per line.")
  String jsonl;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** A command line for this command alone, with one-line errors for bad flags. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BleuCommand());
    cl.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine().getErr().println("bleu: " + e.getMessage() + " (try --help)");
          return BAD_INPUT;
        });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (jsonl != null) {
        if (!refs.isEmpty() || inputs != null) {
          throw new IllegalArgumentException(
              "--jsonl takes its references and hypotheses from the requests");
        }
        BleuJsonl.run(TextLines.decode(readBytes(jsonl), jsonl.equals("-") ? "stdin" : jsonl), out);
        return 0;
      }
      run(out);
      return 0;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      out.flush();
      err.println("bleu: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
  }

  private void run(PrintWriter out) {
    if (refs.isEmpty()) {
      throw new IllegalArgumentException(
          "no reference files given (conveyor bleu REF [REF...] -i HYP)");
    }
    if (pairedBs && pairedAr) {
      throw new IllegalArgumentException("--paired-bs and --paired-ar are mutually exclusive");
    }
    boolean paired = pairedBs || pairedAr;
    Bleu bleu =
        Bleu.builder()
            .tokenize(tokenize)
            .lowercase(lowercase)
            .smoothMethod(smoothMethod)
            .smoothValue(smoothValue)
            .build();
    List<List<String>> refStreams = new ArrayList<>();
    for (Path r : refs) {
      refStreams.add(TextLines.read(r));
    }
    for (int i = 1; i < refStreams.size(); i++) {
      checkLength(refs.get(i), refStreams.get(i).size(), refs.get(0), refStreams.get(0).size());
    }
    Map<String, List<String>> systems = new LinkedHashMap<>();
    if (inputs == null) {
      systems.put("stdin", TextLines.decode(readBytes("-"), "stdin"));
    } else {
      for (Path p : inputs) {
        if (systems.containsKey(p.toString())) {
          if (paired && p.toString().equals(inputs.get(0).toString())) {
            continue;
          }
          throw new IllegalArgumentException("system file " + p + " given twice");
        }
        systems.put(p.toString(), TextLines.read(p));
      }
    }
    for (Map.Entry<String, List<String>> e : systems.entrySet()) {
      checkLength(Path.of(e.getKey()), e.getValue().size(), refs.get(0), refStreams.get(0).size());
    }
    if (sentenceLevel) {
      if (systems.size() > 1 || paired) {
        throw new IllegalArgumentException(
            "--sentence-level takes exactly one system and no paired test");
      }
      for (BleuScore s : bleu.sentenceScores(systems.values().iterator().next(), refStreams)) {
        out.println(json ? scoreJson(s).toString() : PyFormat.line(s, width, scoreOnly));
      }
      return;
    }
    if (paired) {
      if (systems.size() < 2) {
        throw new IllegalArgumentException(
            "paired tests need a baseline and at least one system: -i BASELINE SYS...");
      }
      paired(bleu, systems, refStreams, out);
      return;
    }
    ReferenceSet refSet = bleu.references(refStreams);
    for (Map.Entry<String, List<String>> e : systems.entrySet()) {
      BleuScore s = bleu.corpusScore(e.getValue(), refSet);
      String line = json ? scoreJson(s).toString() : PyFormat.line(s, width, scoreOnly);
      out.println(systems.size() > 1 && !json ? e.getKey() + ": " + line : line);
    }
  }

  private void paired(
      Bleu bleu,
      Map<String, List<String>> systems,
      List<List<String>> refStreams,
      PrintWriter out) {
    List<String> names = new ArrayList<>(systems.keySet());
    List<String> baseline = systems.get(names.get(0));
    Map<String, List<String>> others = new LinkedHashMap<>(systems);
    others.remove(names.get(0));
    PairedResult r =
        pairedBs
            ? PairedBootstrap.run(bleu, baseline, others, refStreams, pairedBsN, seed)
            : PairedRandomization.run(bleu, baseline, others, refStreams, pairedArN, -1, seed);
    if (json) {
      ArrayNode rows = JSON.createArrayNode();
      rows.add(resultJson("Baseline: " + names.get(0), r.baseline()));
      r.systems().forEach((name, res) -> rows.add(resultJson(name, res)));
      ObjectNode doc = JSON.createObjectNode();
      doc.set("systems", rows);
      doc.put("signature", r.signature().format());
      out.println(doc.toString());
      return;
    }
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"System", pairedBs ? "BLEU (μ ± 95% CI)" : "BLEU"});
    table.add(new String[] {"Baseline: " + names.get(0), cell(r.baseline())});
    r.systems().forEach((name, res) -> table.add(new String[] {name, cell(res)}));
    int w0 = table.stream().mapToInt(row -> row[0].length()).max().orElse(0);
    for (String[] row : table) {
      out.println(String.format("%-" + w0 + "s  %s", row[0], row[1]));
    }
    out.println();
    out.println(
        pairedBs
            ? "Paired bootstrap resampling test with " + pairedBsN + " resampling trials"
            : "Paired approximate randomization test with " + pairedArN + " trials");
    out.println(
        "p-values below 0.05 are marked with *: the delta is unlikely to be due to chance.");
    out.println("Signature: " + r.signature().format());
  }

  private String cell(SystemResult r) {
    String s = PyFormat.fixed(r.score(), width);
    if (r.mean() != null) {
      s += " (" + PyFormat.fixed(r.mean(), width) + " ± " + PyFormat.fixed(r.ci(), width) + ")";
    }
    if (r.pValue() != null) {
      s += " (p = " + PyFormat.fixed(r.pValue(), 4) + ")" + (r.pValue() <= 0.05 ? "*" : "");
    }
    return s;
  }

  private static ObjectNode resultJson(String name, SystemResult r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("system", name);
    ObjectNode b = o.putObject("BLEU");
    b.put("score", r.score());
    if (r.pValue() != null) {
      b.put("p_value", r.pValue());
    }
    if (r.mean() != null) {
      b.put("mean", r.mean());
      b.put("ci", r.ci());
    }
    return o;
  }

  /** sacreBLEU's JSON output: rounded score, signature, verbose part and each signature field. */
  private ObjectNode scoreJson(BleuScore s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", "BLEU");
    o.put("score", Double.parseDouble(PyFormat.fixed(s.score(), width)));
    o.put("signature", s.signature());
    o.put("verbose_score", PyFormat.verbose(s));
    for (String field : s.signature().split("\\|")) {
      int colon = field.indexOf(':');
      o.put(field.substring(0, colon), field.substring(colon + 1));
    }
    return o;
  }

  private static void checkLength(Path file, int lines, Path ref, int refLines) {
    if (lines != refLines) {
      throw new IllegalArgumentException(
          file + " has " + lines + " lines but reference " + ref + " has " + refLines);
    }
  }

  private static byte[] readBytes(String file) {
    try {
      if (file.equals("-")) {
        InputStream in = System.in;
        return in.readAllBytes();
      }
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
