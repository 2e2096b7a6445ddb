package io.github.dartrl.core.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.KvCache;
import io.github.dartrl.core.model.Scalars;
import io.github.dartrl.core.model.TokenBatch;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched, stateful decoding over one KV cache: prefill prompts, sample until each row stops,
 * append given tokens (e.g. tool observations) as a prefill of just those tokens, sample again.
 *
 * <p>Rows advance in lock-step; a row with nothing to do in a step feeds a padding slot, which the
 * cache masks and which does not advance the row's positions.
 *
 * <p>Each row's last token is held back until the session knows what follows it, because the
 * adapter at a position is chosen by the role of the <em>next</em> token: before sampling it is fed
 * with {@link AdapterSchedule#beforeSampled}, before a given chunk with {@link
 * AdapterSchedule#beforeGiven}. This keeps generation and a training forward over the finished
 * trajectory on identical gating. Grad mode is off for every forward here.
 */
public final class DecodeSession implements AutoCloseable {
  /** Row r of a session with seed s samples from the stream {@code s * ROW_STREAM + r}. */
  private static final long ROW_STREAM = 0x9E3779B97F4A7C15L;

  /** The inverse of {@link #ROW_STREAM} modulo 2^64 (it is odd), by Newton's iteration. */
  private static final long ROW_STREAM_INVERSE = inverse(ROW_STREAM);

  /**
   * The seed under which row r of a session draws the stream that row {@code r + firstRow} draws
   * under {@code seed}: a batch holding rows {@code firstRow..} of a larger batch (a partition of a
   * distributed step) samples exactly what they would sample in the whole batch.
   */
  public static long seedForRowsFrom(long seed, long firstRow) {
    return seed + firstRow * ROW_STREAM_INVERSE; // (seed + k·inv)·M + r = seed·M + k + r (mod 2^64)
  }

  private static long inverse(long odd) {
    long x = odd; // correct to 3 bits; each step doubles the correct bits
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }

  private final DecoderModel model;
  private final KvCache cache;
  private final AdapterSchedule schedule;
  private final int rows;
  private final int vocab;
  // next-token probabilities of every row from the last forward that computed them, [rows * V];
  // ready[r] says whether row r's slice is current (its last token fed, not yet sampled)
  private float[] nextProbs = new float[0];
  private final boolean[] ready;
  private final long[] held; // last token of each row, not yet fed (-1 if none)
  private final List<List<Long>> history = new ArrayList<>();
  private final SplittableRandom[] rngs;
  private long padId;

  /**
   * Starts a session with the given prompts.
   *
   * @param capacity KV slots per row: at least the longest trajectory this session will hold
   * @param schedule adapter per position ({@link AdapterSchedule#NONE} for the bare backbone)
   */
  public DecodeSession(
      DecoderModel model, List<long[]> prompts, int capacity, AdapterSchedule schedule) {
    this.model = model;
    this.rows = prompts.size();
    this.vocab = model.config().vocabSize();
    this.schedule = schedule;
    this.cache = model.newCache(rows, capacity);
    this.ready = new boolean[rows];
    this.held = new long[rows];
    this.rngs = new SplittableRandom[rows];
    Arrays.fill(held, -1);
    for (int r = 0; r < rows; r++) {
      if (prompts.get(r).length == 0) {
        throw new IllegalArgumentException("prompt of row " + r + " is empty");
      }
      history.add(new ArrayList<>());
    }
    append(prompts, TokenRole.PROMPT);
  }

  public int rows() {
    return rows;
  }

  /** Every token of a row so far: prompt, sampled and appended, in order. */
  public long[] tokens(int row) {
    return history.get(row).stream().mapToLong(Long::longValue).toArray();
  }

  /** Slots still free in the cache (each forward of the batch uses one per token of its chunk). */
  public int remainingCapacity() {
    return cache.capacity() - cache.length();
  }

  /** Id fed into padding slots (never attended to; any valid id). */
  public void setPadId(long padId) {
    this.padId = padId;
  }

  /**
   * Appends given tokens to each row; {@code null} or empty means nothing for that row. One forward
   * over the longest chunk; shorter chunks are left-padded.
   *
   * @param role PROMPT or OBSERVATION
   */
  public void append(List<long[]> chunks, TokenRole role) {
    if (role.isSampled()) {
      throw new IllegalArgumentException("appended tokens are given, not " + role);
    }
    appendGiven(chunks, role, true);
  }

  /**
   * Catch-up: appends tokens this cache has not read yet but that are already part of the
   * trajectory (another model's sampled tokens, an observation another cache also reads). They
   * carry no training role — their roles were recorded when they were produced — so the schedule's
   * state is not told about them (a catch-up is not the environment speaking and closes no tool
   * span); the adapter at their positions is the one of a PROMPT position.
   */
  public void catchUp(List<long[]> chunks) {
    appendGiven(chunks, TokenRole.PROMPT, false);
  }

  private void appendGiven(List<long[]> chunks, TokenRole role, boolean tellSchedule) {
    if (chunks.size() != rows) {
      throw new IllegalArgumentException("need one chunk per row: " + rows);
    }
    List<long[]> feed = new ArrayList<>();
    List<int[]> adapters = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      long[] chunk = chunks.get(r) == null ? new long[0] : chunks.get(r);
      if (chunk.length == 0) {
        feed.add(new long[0]);
        adapters.add(new int[0]);
        continue;
      }
      // feed the held token and all but the last of the chunk: their next tokens are given
      int start = held[r] >= 0 ? 1 : 0;
      long[] ids = new long[start + chunk.length - 1];
      if (start == 1) {
        ids[0] = held[r];
      }
      System.arraycopy(chunk, 0, ids, start, chunk.length - 1);
      int[] a = new int[ids.length];
      Arrays.fill(a, schedule.beforeGiven(r, role));
      feed.add(ids);
      adapters.add(a);
      held[r] = chunk[chunk.length - 1];
      ready[r] = false;
      if (tellSchedule) {
        schedule.given(r, chunk, role);
      }
      for (long id : chunk) {
        history.get(r).add(id);
      }
    }
    // the logits after a given chunk predict its (given) last token: no LM head needed
    forward(feed, adapters, null);
  }

  /**
   * Samples for every row with {@code active[r]} until it stops; other rows are left as they are.
   *
   * @return one generation per row (empty, with reason LENGTH, for inactive rows)
   */
  public List<Generation> generate(SamplingParams params, boolean[] active, Detokenizer detok) {
    if (active.length != rows) {
      throw new IllegalArgumentException("need one flag per row: " + rows);
    }
    feedHeldBeforeSampling(active, params);
    TokenSampler sampler = new TokenSampler(params);
    List<RowOutput> out = new ArrayList<>();
    boolean[] running = active.clone();
    for (int r = 0; r < rows; r++) {
      out.add(new RowOutput());
      if (active[r] && rngs[r] == null) {
        rngs[r] = new SplittableRandom(params.seed() * ROW_STREAM + r);
      }
    }
    while (true) {
      List<long[]> feed = new ArrayList<>();
      List<int[]> adapters = new ArrayList<>();
      boolean any = false;
      for (int r = 0; r < rows; r++) {
        feed.add(new long[0]);
        adapters.add(new int[0]);
        if (!running[r]) {
          continue;
        }
        RowOutput o = out.get(r);
        TokenSampler.Choice c = sampler.choose(nextProbs, r * vocab, vocab, rngs[r]);
        o.add(c.token(), c.logProb(), schedule.nextSampledRoleCode(r));
        history.get(r).add((long) c.token());
        schedule.sampled(r, c.token());
        held[r] = c.token();
        ready[r] = false;
        FinishReason done = finish(params, o, detok);
        if (done == null && remainingCapacity() == 0) {
          done = FinishReason.LENGTH;
        }
        if (done != null) {
          running[r] = false;
          o.reason = done;
        } else {
          feed.set(r, new long[] {c.token()});
          adapters.set(r, new int[] {schedule.beforeSampled(r)});
          held[r] = -1;
          any = true;
        }
      }
      if (!any) {
        break;
      }
      forward(feed, adapters, params);
    }
    List<Generation> result = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      result.add(out.get(r).toGeneration(detok));
    }
    return result;
  }

  private static FinishReason finish(SamplingParams params, RowOutput o, Detokenizer detok) {
    long token = o.tokens.get(o.tokens.size() - 1);
    if (params.eosTokenIds().contains(token)) {
      return FinishReason.EOS;
    }
    if (!params.stopStrings().isEmpty()) {
      String text = detok.decode(o.tokenArray());
      for (String s : params.stopStrings()) {
        if (text.indexOf(s, Math.max(0, o.checkedChars - s.length() + 1)) >= 0) {
          o.stopString = s;
          return FinishReason.STOP;
        }
      }
      o.checkedChars = text.length();
    }
    return o.tokens.size() >= params.maxNewTokens() ? FinishReason.LENGTH : null;
  }

  private void feedHeldBeforeSampling(boolean[] active, SamplingParams params) {
    List<long[]> feed = new ArrayList<>();
    List<int[]> adapters = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      if (active[r] && held[r] >= 0) {
        feed.add(new long[] {held[r]});
        adapters.add(new int[] {schedule.beforeSampled(r)});
        held[r] = -1;
      } else {
        feed.add(new long[0]);
        adapters.add(new int[0]);
      }
      if (active[r] && held[r] < 0 && !ready[r] && feed.get(r).length == 0) {
        throw new IllegalStateException("row " + r + " has no tokens to continue from");
      }
    }
    forward(feed, adapters, params);
  }

  /**
   * One forward over the chunks (left-padded to the longest). With {@code params}, also computes
   * the next-token distribution {@code softmax(logits / T)} of every row on the libtorch side and
   * reads it back once for the whole batch (rows that fed nothing keep their previous state).
   */
  private void forward(List<long[]> ids, List<int[]> adapters, SamplingParams params) {
    int length = ids.stream().mapToInt(c -> c.length).max().orElse(0);
    if (length == 0) {
      return;
    }
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
      if (params == null) {
        return;
      }
      NDArray last = length == 1 ? hidden : hidden.get(new NDIndex(":, -1:, :")); // [B,1,d]
      NDArray logits = model.logits(last); // [B,1,V]
      double t = params.isGreedy() ? 1.0 : params.temperature();
      if (t != 1.0) {
        logits = Scalars.div(logits, t);
      }
      float[] probs = logits.softmax(-1).toFloatArray(); // [B*V], the one read-back of the step
      for (int r = 0; r < rows; r++) {
        if (ids.get(r).length > 0) {
          ready[r] = true;
        } else if (ready[r]) {
          // keep a row's still-unsampled distribution from an earlier forward
          System.arraycopy(nextProbs, r * vocab, probs, r * vocab, vocab);
        }
      }
      nextProbs = probs;
    }
  }

  /** What one row sampled in one {@link #generate} call. */
  private static final class RowOutput {
    final List<Long> tokens = new ArrayList<>();
    final List<Float> logProbs = new ArrayList<>();
    final List<Integer> roles = new ArrayList<>();
    FinishReason reason = FinishReason.LENGTH;
    String stopString;
    int checkedChars;

    void add(long token, float logProb, int role) {
      tokens.add(token);
      logProbs.add(logProb);
      roles.add(role);
    }

    long[] tokenArray() {
      return tokens.stream().mapToLong(Long::longValue).toArray();
    }

    Generation toGeneration(Detokenizer detok) {
      long[] t = tokenArray();
      float[] lp = new float[t.length];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = logProbs.get(i);
      }
      int[] codes = roles.stream().mapToInt(Integer::intValue).toArray();
      return new Generation(
          t,
          lp,
          Arrays.stream(codes).mapToObj(TokenRole::ofCode).toArray(TokenRole[]::new),
          reason,
          stopString,
          t.length == 0 ? "" : detok.decode(t),
          codes);
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
