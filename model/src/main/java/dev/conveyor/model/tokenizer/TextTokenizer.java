package dev.conveyor.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A HuggingFace {@code tokenizer.json} loaded offline through DJL, plus the ids of the Conveyor
 * {@link SpecialTokens}. Thread-safe for encode/decode; {@link #close()} frees the native handle.
 */
public final class TextTokenizer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final String json;
  private final int vocabSize;
  private final int endOfText;
  private final int prompt;
  private final int completion;
  private final int pad;

  private TextTokenizer(String json) throws IOException {
    this.json = json;
    JsonNode root = JSON.readTree(json);
    Map<String, Integer> ids = new HashMap<>();
    int max = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("model").path("vocab").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ids.put(e.getKey(), e.getValue().asInt());
      max = Math.max(max, e.getValue().asInt());
    }
    for (JsonNode t : root.path("added_tokens")) {
      ids.put(t.path("content").asText(), t.path("id").asInt());
      max = Math.max(max, t.path("id").asInt());
    }
    this.vocabSize = max + 1;
    this.endOfText = required(ids, SpecialTokens.END_OF_TEXT);
    this.prompt = required(ids, SpecialTokens.PROMPT);
    this.completion = required(ids, SpecialTokens.COMPLETION);
    this.pad = required(ids, SpecialTokens.PAD);
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            new java.io.ByteArrayInputStream(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
  }

  private static int required(Map<String, Integer> ids, String token) throws IOException {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IOException("tokenizer.json lacks the special token " + token);
    }
    return id;
  }

  /** Loads a {@code tokenizer.json} (no network). */
  public static TextTokenizer load(Path tokenizerJson) throws IOException {
    return new TextTokenizer(Files.readString(tokenizerJson));
  }

  /** Parses the content of a {@code tokenizer.json}. */
  public static TextTokenizer fromJson(String json) throws IOException {
    return new TextTokenizer(json);
  }

  /**
   * Trains a byte-level BPE on {@code texts}, writes it to {@code out} and loads it.
   *
   * @param vocabSize target size including the special tokens and 256 byte symbols
   */
  public static TextTokenizer train(Iterable<String> texts, int vocabSize, Path out)
      throws IOException {
    BpeTrainer.builder().setVocabSize(vocabSize).build().train(texts, out);
    return load(out);
  }

  /** Token ids of {@code text}; special-token strings inside it map to their ids. */
  public long[] encode(String text) {
    if (text.isEmpty()) {
      return new long[0];
    }
    return tokenizer.encode(text, false, false).getIds();
  }

  /** Text of {@code ids}, special tokens skipped. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /** The {@code tokenizer.json} content this tokenizer was built from. */
  public String json() {
    return json;
  }

  /** Number of ids (highest id + 1). */
  public int vocabSize() {
    return vocabSize;
  }

  /** Id of {@code <|endoftext|>}. */
  public int endOfTextId() {
    return endOfText;
  }

  /** Id of {@code <|prompt|>}. */
  public int promptId() {
    return prompt;
  }

  /** Id of {@code <|completion|>}. */
  public int completionId() {
    return completion;
  }

  /** Id of {@code <|pad|>}. */
  public int padId() {
    return pad;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
