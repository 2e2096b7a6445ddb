package io.github.dartrl.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.KvCache;
import io.github.dartrl.core.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched, stateful decoding over one KV cache: prefill prompts, sample until each row stops,
 * append given tokens (e.g. tool observations) as a prefill of just those tokens, sample again.
 *
 * <p>Rows advance in lock-step; a row with nothing to do in a step feeds a padding slot, which the
 * cache masks and which does not advance the row's positions. A row's last sampled token is fed
 * lazily (with the next append or generate), so a finished row costs nothing while others decode.
 * Grad mode is off for every forward here.
 */
public final class DecodeSession implements AutoCloseable {
  private final DecoderModel model;
  private final KvCache cache;
  private final AdapterSchedule schedule;
  private final int rows;
  private final int vocab;
  private final float[][] nextLogits; // per row: logits for its next token
  private final long[] pendingToken; // sampled but not yet fed, or -1
  private final int[] pendingAdapter;
  private final List<List<Long>> history = new ArrayList<>();
  private final SplittableRandom[] rngs;
  private long padId;

  /**
   * Prefills {@code prompts} into a new cache of {@code capacity} slots.
   *
   * @param schedule adapter per position ({@link AdapterSchedule#NONE} for the bare backbone)
   */
  public DecodeSession(
      DecoderModel model, List<long[]> prompts, int capacity, AdapterSchedule schedule) {
    this.model = model;
    this.rows = prompts.size();
    this.vocab = model.config().vocabSize();
    this.schedule = schedule;
    this.cache = model.newCache(rows, capacity);
    this.nextLogits = new float[rows][];
    this.pendingToken = new long[rows];
    this.pendingAdapter = new int[rows];
    this.rngs = new SplittableRandom[rows];
    Arrays.fill(pendingToken, -1);
    for (int r = 0; r < rows; r++) {
      if (prompts.get(r).length == 0) {
        throw new IllegalArgumentException("prompt of row " + r + " is empty");
      }
      history.add(new ArrayList<>());
    }
    append(prompts);
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Every token of a row so far: prompt, sampled and appended, in order. */
  public long[] tokens(int row) {
    return history.get(row).stream().mapToLong(Long::longValue).toArray();
  }

  /** Slots still free in the cache (each step of the batch uses one). */
  public int remainingCapacity() {
    return cache.capacity() - cache.length();
  }

  /** Id fed into padding slots (never attended to; any valid id). */
  public void setPadId(long padId) {
    this.padId = padId;
  }

  /**
   * Appends given tokens (prompt or observation) to each row; {@code null} or empty means nothing
   * for that row. One forward over the longest chunk; shorter chunks are left-padded so every row's
   * last slot is its last real token.
   */
  public void append(List<long[]> chunks) {
    if (chunks.size() != rows) {
      throw new IllegalArgumentException("need one chunk per row: " + rows);
    }
    List<long[]> ids = new ArrayList<>();
    List<int[]> adapters = new ArrayList<>();
    int longest = 0;
    for (int r = 0; r < rows; r++) {
      long[] chunk = chunks.get(r) == null ? new long[0] : chunks.get(r);
      int[] given = chunk.length == 0 ? new int[0] : schedule.forGiven(r, chunk);
      for (long id : chunk) {
        history.get(r).add(id);
      }
      if (pendingToken[r] >= 0) {
        chunk = prepend(pendingToken[r], chunk);
        given = prepend(pendingAdapter[r], given);
        pendingToken[r] = -1;
      }
      ids.add(chunk);
      adapters.add(given);
      longest = Math.max(longest, chunk.length);
    }
    if (longest > 0) {
      forward(ids, adapters, longest);
    }
  }

  /**
   * Samples for every row with {@code active[r]} until it stops; other rows are left as they are.
   *
   * @return one generation per row (empty, with reason LENGTH, for inactive rows)
   */
  public List<Generation> generate(SamplingParams params, boolean[] active, Detokenizer detok) {
    feedPending(active);
    TokenSampler sampler = new TokenSampler(params);
    List<List<Long>> out = new ArrayList<>();
    List<List<Float>> lps = new ArrayList<>();
    FinishReason[] reason = new FinishReason[rows];
    String[] stop = new String[rows];
    int[] checked = new int[rows];
    boolean[] running = active.clone();
    for (int r = 0; r < rows; r++) {
      out.add(new ArrayList<>());
      lps.add(new ArrayList<>());
      if (!active[r]) {
        reason[r] = FinishReason.LENGTH;
      } else if (rngs[r] == null) {
        rngs[r] = new SplittableRandom(params.seed() * 0x9E3779B97F4A7C15L + r);
      }
    }
    while (true) {
      long[] fed = new long[rows];
      int[] fedAdapter = new int[rows];
      boolean any = false;
      for (int r = 0; r < rows; r++) {
        if (!running[r]) {
          continue;
        }
        TokenSampler.Choice c = sampler.choose(nextLogits[r], 0, vocab, rngs[r]);
        out.get(r).add((long) c.token());
        lps.get(r).add(c.logProb());
        history.get(r).add((long) c.token());
        int adapter = schedule.forSampled(r, c.token());
        FinishReason done = null;
        if (params.eosTokenIds().contains((long) c.token())) {
          done = FinishReason.EOS;
        } else if (!params.stopStrings().isEmpty()) {
          String text = detok.decode(toArray(out.get(r)));
          for (String s : params.stopStrings()) {
            if (text.indexOf(s, Math.max(0, checked[r] - s.length() + 1)) >= 0) {
              done = FinishReason.STOP;
              stop[r] = s;
              break;
            }
          }
          checked[r] = text.length();
        }
        if (done == null
            && (out.get(r).size() >= params.maxNewTokens() || remainingCapacity() == 0)) {
          done = FinishReason.LENGTH;
        }
        if (done != null) {
          running[r] = false;
          reason[r] = done;
          pendingToken[r] = c.token();
          pendingAdapter[r] = adapter;
        } else {
          fed[r] = c.token();
          fedAdapter[r] = adapter;
          any = true;
        }
      }
      if (!any) {
        break;
      }
      List<long[]> ids = new ArrayList<>();
      List<int[]> adapters = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        ids.add(running[r] ? new long[] {fed[r]} : new long[0]);
        adapters.add(running[r] ? new int[] {fedAdapter[r]} : new int[0]);
      }
      forward(ids, adapters, 1);
    }
    List<Generation> result = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      long[] toks = toArray(out.get(r));
      float[] lp = new float[toks.length];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = lps.get(r).get(i);
      }
      String text = toks.length == 0 ? "" : detok.decode(toks);
      result.add(new Generation(toks, lp, reason[r], stop[r], text));
    }
    return result;
  }

  private void feedPending(boolean[] active) {
    boolean any = false;
    List<long[]> chunks = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      any |= active[r] && pendingToken[r] >= 0;
      chunks.add(null);
    }
    if (any) {
      // append() feeds every pending token; rows not asked to continue are fed too, harmlessly.
      append(chunks);
    }
  }

  private void forward(List<long[]> ids, List<int[]> adapters, int length) {
    long[] flat = new long[rows * length];
    boolean[] valid = new boolean[rows * length];
    int[] adapterAt = new int[rows * length];
    Arrays.fill(flat, padId);
    Arrays.fill(adapterAt, -1);
    boolean anyAdapter = false;
    for (int r = 0; r < rows; r++) {
      long[] chunk = ids.get(r);
      int[] a = adapters.get(r);
      int off = r * length + (length - chunk.length);
      for (int i = 0; i < chunk.length; i++) {
        flat[off + i] = chunk[i];
        valid[off + i] = true;
        adapterAt[off + i] = a[i];
        anyAdapter |= a[i] >= 0;
      }
    }
    TokenBatch batch = new TokenBatch(rows, length, flat, valid);
    try (GradMode off = GradMode.disabled();
        NDManager scope = model.newScope()) {
      NDArray hidden = model.hidden(scope, batch, cache, anyAdapter ? adapterAt : null);
      NDArray last = hidden.get(new NDIndex(":, -1:, :")); // [B,1,d]
      float[] logits = model.logits(last).toFloatArray(); // [B*V]
      for (int r = 0; r < rows; r++) {
        if (ids.get(r).length > 0) {
          nextLogits[r] = Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab);
        }
      }
    }
  }

  private static long[] toArray(List<Long> xs) {
    long[] a = new long[xs.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = xs.get(i);
    }
    return a;
  }

  private static long[] prepend(long x, long[] xs) {
    long[] a = new long[xs.length + 1];
    a[0] = x;
    System.arraycopy(xs, 0, a, 1, xs.length);
    return a;
  }

  private static int[] prepend(int x, int[] xs) {
    int[] a = new int[xs.length + 1];
    a[0] = x;
    System.arraycopy(xs, 0, a, 1, xs.length);
    return a;
  }

  @Override
  public void close() {
    cache.close();
  }
}
