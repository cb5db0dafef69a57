package dev.conveyor.model.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.conveyor.model.nn.GptModel;
import dev.conveyor.model.nn.KvCache;
import dev.conveyor.model.nn.Masks;
import dev.conveyor.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A running batch for continuous batching: requests join with {@link #add} (each with its own
 * prompt, sampling options, stops and max tokens), {@link #step} gives every row one new token, and
 * rows leave when they finish or are {@link #cancel cancelled}, freeing their slot for the next
 * request.
 *
 * <p>Keys and values live in one preallocated {@link KvCache} of slot rows, written in place. All
 * rows write their next token at the same column; a joining row's prompt is prefilled (one forward
 * for all rows that joined since the last step) into the columns just before it, so rows are
 * right-aligned and a key mask hides what lies before each row's first token. The first {@code
 * contextLength} columns are kept free for such prompts; when the buffer is full, the live columns
 * are moved to the front (a live row never spans more than the context). A row gets exactly the
 * tokens it would get alone.
 *
 * <p>Not thread-safe: one thread drives a session. Steps lock {@code lock} (the owning model) so
 * that a session never decodes concurrently with other generation on the same model.
 */
public final class DecodeSession implements AutoCloseable {

  /**
   * One new token of one row.
   *
   * @param row the id {@link #add} returned
   * @param tokenId the token
   * @param textDelta text that became final with it (may be empty)
   * @param completion the result when the row finished with this token, else null
   */
  public record Token(int row, int tokenId, String textDelta, Completion completion) {
    /** True when the row finished. */
    public boolean finished() {
      return completion != null;
    }
  }

  private final GptModel model;
  private final TextTokenizer tokenizer;
  private final Object lock;
  private final NDManager manager;
  private final KvCache cache;
  private final ParameterStore ps;
  private final int ctx;
  private final int vocab;
  private final Map<Integer, Row> rows = new HashMap<>();
  private final List<Row> joining = new ArrayList<>();
  private Row[] slots;
  private int used; // slots 0..used-1 hold at least one live row
  private int column; // where the next decode step writes
  private int nextId;
  private int compactions;
  private boolean closed;

  /**
   * Opens a session on {@code model}; its cache lives under {@code parent}.
   *
   * @param initialSlots rows to allocate at first (it grows as needed)
   * @param lock held during each step (the owner's generation lock)
   */
  public DecodeSession(
      GptModel model, TextTokenizer tokenizer, NDManager parent, int initialSlots, Object lock) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.lock = lock;
    this.ctx = model.config().contextLength();
    this.vocab = model.config().vocabSize();
    this.manager = parent.newSubManager();
    int n = Math.max(1, initialSlots);
    // zero-filling megabytes on two OpenMP threads stalls on a busy machine; one does it fine
    IntraOpThreads threads = new IntraOpThreads();
    try {
      threads.forRows(1);
      this.cache = model.newCache(manager, n, 2 * ctx);
    } finally {
      threads.restore();
    }
    this.ps = new ParameterStore(manager, false);
    this.slots = new Row[n];
    this.column = ctx;
  }

  /**
   * Adds a request; it is prefilled at the next {@link #step}. A prompt longer than {@code
   * contextLength - 1} keeps its most recent tokens; an empty one becomes end-of-text.
   *
   * @param streaming true to get text deltas per token (else text is decoded when the row ends)
   * @return the row id
   */
  public int add(long[] prompt, GenerationOptions options, boolean streaming) {
    checkOpen();
    long[] p = prompt.length == 0 ? new long[] {tokenizer.endOfTextId()} : prompt;
    if (p.length > ctx - 1) {
      p = Arrays.copyOfRange(p, p.length - (ctx - 1), p.length);
    }
    Row row = new Row(nextId++, new RowState(p, options), streaming);
    rows.put(row.id, row);
    joining.add(row);
    return row.id;
  }

  /**
   * Ends a row now (finish reason {@link FinishReason#CANCELLED}) and frees its slot.
   *
   * @return its completion so far, or null when the row is unknown or already finished
   */
  public Completion cancel(int row) {
    Row r = rows.get(row);
    if (r == null) {
      return null;
    }
    r.state.cancel(tokenizer);
    joining.remove(r);
    end(r);
    return r.state.result();
  }

  /** Rows that have not finished (joining ones included). */
  public int size() {
    return rows.size();
  }

  /** How often the live columns were moved to the front of the buffer. */
  public int compactions() {
    return compactions;
  }

  /** True when no row is left. */
  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /**
   * Gives every row one new token: the rows already decoding in one batched forward, the rows that
   * joined since the last step in one prefill. Finished rows leave the batch.
   *
   * @return the new tokens, in no particular order
   */
  public List<Token> step() {
    synchronized (lock) {
      checkOpen();
      List<Token> out = new ArrayList<>(rows.size());
      if (rows.isEmpty()) {
        return out;
      }
      boolean gradMode = JniUtils.isGradMode();
      JniUtils.setGradMode(false); // thread-local in libtorch: never record graphs while serving
      IntraOpThreads threads = new IntraOpThreads();
      try {
        if (used > 0) {
          decode(threads, out);
        }
        if (!joining.isEmpty()) {
          prefill(threads, out);
        }
      } finally {
        threads.restore();
        JniUtils.setGradMode(gradMode);
      }
      return out;
    }
  }

  private void decode(IntraOpThreads threads, List<Token> out) {
    if (column == cache.capacity()) {
      threads.forRows(1);
      compact();
    }
    int n = used;
    long[] ids = new long[n];
    long[] pos = new long[n];
    int from = column;
    boolean masked = false;
    for (int s = 0; s < n; s++) {
      Row r = slots[s];
      if (r == null) {
        ids[s] = tokenizer.padId();
        masked = true;
      } else {
        ids[s] = r.pending;
        pos[s] = Math.min(r.fed, ctx - 1);
        from = Math.min(from, r.start);
      }
    }
    int keys = column + 1 - from;
    float[] logits;
    try (NDManager m = manager.newSubManager()) {
      float[] mask = null;
      for (int s = 0; s < n && !masked; s++) {
        masked = slots[s].start != from;
      }
      if (masked) {
        // a row sees its own columns only: not those before its first token, nor empty slots
        mask = new float[n * keys];
        for (int s = 0; s < n; s++) {
          int first = slots[s] == null ? column + 1 : slots[s].start;
          Arrays.fill(mask, s * keys, s * keys + Math.min(keys, first - from), Masks.BLOCKED);
        }
      }
      threads.forRows(n);
      cache.planStep(n, column, from);
      NDArray maskArray = mask == null ? null : m.create(mask, new Shape(n, 1, 1, keys));
      logits =
          model
              .logits(
                  ps,
                  m.create(ids, new Shape(n, 1)),
                  m.create(pos, new Shape(n, 1)),
                  maskArray,
                  cache,
                  true,
                  false)
              .toFloatArray();
    }
    column++;
    for (int s = 0; s < n; s++) {
      Row r = slots[s];
      if (r != null) {
        r.fed++;
        out.add(next(r, logits, s));
      }
    }
  }

  private void prefill(IntraOpThreads threads, List<Token> out) {
    List<Row> batch = new ArrayList<>(joining);
    joining.clear();
    int k = batch.size();
    int width = 0;
    for (Row r : batch) {
      width = Math.max(width, r.state.prompt.length);
    }
    long[] ids = new long[k * width];
    long[] pos = new long[k * width];
    long[] slotIds = new long[k];
    boolean[][] valid = new boolean[k][width];
    boolean padded = false;
    Arrays.fill(ids, tokenizer.padId());
    for (int i = 0; i < k; i++) {
      Row r = batch.get(i);
      long[] p = r.state.prompt;
      int pad = width - p.length;
      padded |= pad > 0;
      for (int j = 0; j < p.length; j++) {
        ids[i * width + pad + j] = p[j];
        pos[i * width + pad + j] = j;
        valid[i][pad + j] = true;
      }
      threads.forRows(1); // a growing cache copies and zero-fills
      r.slot = freeSlot();
      slots[r.slot] = r;
      used = Math.max(used, r.slot + 1);
      slotIds[i] = r.slot;
      r.start = column - p.length;
      r.fed = p.length;
    }
    float[] logits;
    try (NDManager m = manager.newSubManager()) {
      // the same masks as a batch of fresh prompts: causal, plus key padding when lengths differ
      NDArray mask = width > 1 ? Masks.causal(m, width) : null;
      if (padded) {
        NDArray keyPadding = Masks.keyPadding(m, valid, width);
        mask = mask == null ? keyPadding : keyPadding.add(mask);
      }
      threads.forRows(k * width);
      cache.planPrefill(slotIds, column);
      logits =
          model
              .logits(
                  ps,
                  m.create(ids, new Shape(k, width)),
                  m.create(pos, new Shape(k, width)),
                  mask,
                  cache,
                  true,
                  false)
              .toFloatArray();
    }
    for (int i = 0; i < k; i++) {
      out.add(next(batch.get(i), logits, i));
    }
  }

  /** Samples row {@code r}'s next token from row {@code index} of {@code logits}. */
  private Token next(Row r, float[] logits, int index) {
    int token = r.state.sampler.next(logits, index * vocab, vocab);
    String delta = r.state.accept(token, tokenizer, ctx, r.streaming);
    if (r.state.done()) {
      end(r);
      return new Token(r.id, token, delta, r.state.result());
    }
    r.pending = token;
    return new Token(r.id, token, delta, null);
  }

  private int freeSlot() {
    for (int s = 0; s < slots.length; s++) {
      if (slots[s] == null) {
        return s;
      }
    }
    int grown = slots.length * 2;
    cache.growSlots(grown);
    int first = slots.length;
    slots = Arrays.copyOf(slots, grown);
    return first;
  }

  private void end(Row r) {
    rows.remove(r.id);
    if (r.slot >= 0 && slots[r.slot] == r) {
      slots[r.slot] = null;
      while (used > 0 && slots[used - 1] == null) {
        used--;
      }
    }
    if (rows.isEmpty()) {
      column = ctx; // nothing live: start from a clean buffer
    }
  }

  /**
   * Moves the last {@code contextLength} columns to the front. Every live row fits in them: it has
   * fed at most {@code contextLength - 1} tokens before this write.
   */
  private void compact() {
    int shift = column - ctx;
    cache.shiftLeft(shift, ctx);
    compactions++;
    column -= shift;
    for (Row r : slots) {
      if (r != null) {
        r.start -= shift;
      }
    }
  }

  private void checkOpen() {
    if (closed || !manager.isOpen()) {
      throw new IllegalStateException(closed ? "session is closed" : "model is closed");
    }
  }

  /** Frees the cache; unfinished rows are dropped. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  private static final class Row {
    final int id;
    final RowState state;
    final boolean streaming;
    int slot = -1;
    int start; // column of the first prompt token
    int fed; // tokens already in the cache (the prompt, then generated ones)
    long pending; // the last sampled token, fed at the next step

    Row(int id, RowState state, boolean streaming) {
      this.id = id;
      this.state = state;
      this.streaming = streaming;
    }
  }
}
