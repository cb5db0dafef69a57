package dev.conveyor.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Trains a byte-level BPE tokenizer (GPT-2 layout) and writes it as a standard HuggingFace {@code
 * tokenizer.json}; DJL can load but not train tokenizers.
 *
 * <p>Vocabulary: the {@link SpecialTokens} at ids 0..3, the 256 byte symbols, then one token per
 * merge. Merges are chosen greedily by pair frequency; ties break on the lower pair of ids, so the
 * result is a deterministic function of the texts and their order.
 */
public final class BpeTrainer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int vocabSize;
  private final int minFrequency;

  private BpeTrainer(Builder b) {
    this.vocabSize = b.vocabSize;
    this.minFrequency = b.minFrequency;
  }

  /** Creates a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Smallest possible vocabulary: special tokens plus the 256 bytes (no merges). */
  public static int baseVocabSize() {
    return SpecialTokens.ALL.size() + 256;
  }

  /** Learns merges from {@code texts} and writes {@code tokenizer.json} to {@code out}. */
  public void train(Iterable<String> texts, Path out) throws IOException {
    Map<String, Integer> wordCounts = new LinkedHashMap<>();
    for (String text : texts) {
      ByteLevel.preTokenize(text, w -> wordCounts.merge(w, 1, Integer::sum));
    }
    List<String> vocab = new ArrayList<>(SpecialTokens.ALL);
    Map<Character, Integer> byteIds = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      byteIds.put(ByteLevel.charOf(b), vocab.size());
      vocab.add(String.valueOf(ByteLevel.charOf(b)));
    }
    List<String> merges = learnMerges(wordCounts, byteIds, vocab);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, toJson(vocab, merges));
  }

  private List<String> learnMerges(
      Map<String, Integer> wordCounts, Map<Character, Integer> byteIds, List<String> vocab) {
    int n = wordCounts.size();
    int[][] words = new int[n][];
    int[] counts = new int[n];
    int w = 0;
    for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
      String s = e.getKey();
      words[w] = new int[s.length()];
      for (int i = 0; i < s.length(); i++) {
        words[w][i] = byteIds.get(s.charAt(i));
      }
      counts[w++] = e.getValue();
    }
    Map<Long, Long> pairCounts = new HashMap<>();
    Map<Long, Set<Integer>> where = new HashMap<>();
    for (int i = 0; i < n; i++) {
      addPairs(words[i], counts[i], i, pairCounts, where, +1);
    }
    // max count first, then the lower pair key: deterministic tie-break
    PriorityQueue<long[]> heap =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    pairCounts.forEach((pair, c) -> heap.add(new long[] {c, pair}));
    List<String> merges = new ArrayList<>();
    while (vocab.size() < vocabSize && !heap.isEmpty()) {
      long[] top = heap.poll();
      long current = pairCounts.getOrDefault(top[1], 0L);
      if (current != top[0]) {
        continue; // stale entry
      }
      if (current < minFrequency) {
        break;
      }
      int a = (int) (top[1] >>> 32);
      int b = (int) top[1];
      int merged = vocab.size();
      vocab.add(vocab.get(a) + vocab.get(b));
      merges.add(vocab.get(a) + " " + vocab.get(b));
      Set<Long> touched = new HashSet<>();
      for (int i : new ArrayList<>(where.getOrDefault(top[1], Set.of()))) {
        addPairs(words[i], counts[i], i, pairCounts, where, -1);
        collectPairs(words[i], touched);
        words[i] = mergeWord(words[i], a, b, merged);
        addPairs(words[i], counts[i], i, pairCounts, where, +1);
        collectPairs(words[i], touched);
      }
      for (long pair : touched) {
        long c = pairCounts.getOrDefault(pair, 0L);
        if (c > 0) {
          heap.add(new long[] {c, pair});
        }
      }
    }
    return merges;
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  private static void collectPairs(int[] word, Set<Long> sink) {
    for (int j = 0; j + 1 < word.length; j++) {
      sink.add(key(word[j], word[j + 1]));
    }
  }

  private static void addPairs(
      int[] word,
      int count,
      int index,
      Map<Long, Long> pairCounts,
      Map<Long, Set<Integer>> where,
      int sign) {
    for (int j = 0; j + 1 < word.length; j++) {
      long k = key(word[j], word[j + 1]);
      long c = pairCounts.getOrDefault(k, 0L) + (long) sign * count;
      if (c <= 0) {
        pairCounts.remove(k);
      } else {
        pairCounts.put(k, c);
      }
      if (sign > 0) {
        where.computeIfAbsent(k, x -> new HashSet<>()).add(index);
      }
    }
  }

  private static int[] mergeWord(int[] word, int a, int b, int merged) {
    int[] out = new int[word.length];
    int n = 0;
    for (int j = 0; j < word.length; j++) {
      if (j + 1 < word.length && word[j] == a && word[j + 1] == b) {
        out[n++] = merged;
        j++;
      } else {
        out[n++] = word[j];
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static String toJson(List<String> vocab, List<String> merges) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < SpecialTokens.ALL.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", i);
      t.put("content", SpecialTokens.ALL.get(i));
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(false));
    root.putNull("post_processor");
    root.set("decoder", byteLevel(true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode v = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      v.put(vocab.get(i), i);
    }
    ArrayNode m = model.putArray("merges");
    merges.forEach(m::add);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static ObjectNode byteLevel(boolean decoder) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "ByteLevel");
    n.put("add_prefix_space", false);
    n.put("trim_offsets", !decoder);
    n.put("use_regex", true);
    return n;
  }

  /** Builder for {@link BpeTrainer}. */
  public static final class Builder {
    private int vocabSize = 2048;
    private int minFrequency = 2;

    /** Target vocabulary size, special tokens and the 256 bytes included (default 2048). */
    public Builder setVocabSize(int vocabSize) {
      if (vocabSize < baseVocabSize()) {
        throw new IllegalArgumentException("vocabulary must hold at least " + baseVocabSize());
      }
      this.vocabSize = vocabSize;
      return this;
    }

    /** Pairs seen fewer times are never merged (default 2). */
    public Builder optMinFrequency(int minFrequency) {
      this.minFrequency = minFrequency;
      return this;
    }

    /** Builds the trainer. */
    public BpeTrainer build() {
      return new BpeTrainer(this);
    }
  }
}
