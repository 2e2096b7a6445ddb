package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A Qwen2/Llama-family causal decoder in DJL: embedding, pre-norm blocks of grouped-query attention
 * with rotary embeddings and a SwiGLU MLP, final RMSNorm and an LM head (tied or not).
 *
 * <p>Weights are fp32 arrays keyed by their HF names ({@link HfNames}), owned by this model's
 * manager. Backbone weights never require gradients unless {@link #setBackboneTrainable(boolean)}
 * is called (method {@code FULL}); adapters hook into the {@link Projection}s.
 *
 * <p>One forward code path serves training (no cache: the whole sequence at once) and generation (a
 * {@link KvCache}: prefill, then one token per step), so both compute the same numbers.
 *
 * <p>Shapes: B batch, T tokens in this forward, d hidden size, V vocabulary.
 */
public final class DecoderModel implements AutoCloseable {
  /**
   * Additive mask value for hidden keys: finite, so a fully masked (padding) row cannot give NaN.
   */
  static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters; // HF name -> array, HF order
  private final NDArray embed; // [V, d]
  private final NDArray lmHead; // [V, d], == embed when tied
  private final RmsNorm finalNorm;
  private final List<DecoderLayer> layers = new ArrayList<>();
  private final List<Projection> projections = new ArrayList<>();
  private final RotaryEmbedding rope;
  private boolean backboneTrainable;
  private boolean gradientCheckpointing;
  private volatile Path source; // the directory it was loaded from, if any

  /**
   * Builds a model over existing weights. Takes ownership of {@code manager}, which must own the
   * arrays.
   *
   * @param tensors every tensor of {@link HfNames#expectedShapes(ModelConfig)}, fp32, HF names
   */
  public DecoderModel(ModelConfig config, NDManager manager, Map<String, NDArray> tensors) {
    this.config = config;
    this.manager = manager;
    Map<String, Shape> expected = HfNames.expectedShapes(config);
    this.parameters = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expected.entrySet()) {
      NDArray a = tensors.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException("missing tensor " + e.getKey());
      }
      if (!a.getShape().equals(e.getValue())) {
        throw new IllegalArgumentException(
            "tensor " + e.getKey() + " has shape " + a.getShape() + ", expected " + e.getValue());
      }
      parameters.put(e.getKey(), a);
    }
    this.embed = parameters.get(HfNames.EMBED);
    this.lmHead = config.tieWordEmbeddings() ? embed : parameters.get(HfNames.LM_HEAD);
    this.finalNorm = new RmsNorm(parameters.get(HfNames.FINAL_NORM), config.rmsNormEps());
    this.rope = new RotaryEmbedding(manager, config);
    for (int l = 0; l < config.numLayers(); l++) {
      Attention attention =
          new Attention(
              l,
              config,
              rope,
              proj(l, "q_proj"),
              proj(l, "k_proj"),
              proj(l, "v_proj"),
              proj(l, "o_proj"));
      Mlp mlp = new Mlp(proj(l, "gate_proj"), proj(l, "up_proj"), proj(l, "down_proj"));
      layers.add(
          new DecoderLayer(
              new RmsNorm(parameters.get(HfNames.inputNorm(l)), config.rmsNormEps()),
              attention,
              new RmsNorm(parameters.get(HfNames.postAttentionNorm(l)), config.rmsNormEps()),
              mlp));
    }
  }

  /**
   * Checks every id before the embedding lookup, whose native error ("index out of range in self")
   * names neither the token nor the limit. Usually a tokenizer from another model.
   */
  private void requireKnownIds(TokenBatch batch) {
    long[] ids = batch.ids();
    for (int k = 0; k < ids.length; k++) {
      if (ids[k] < 0 || ids[k] >= config.vocabSize()) {
        throw new IllegalArgumentException(
            "token id "
                + ids[k]
                + " (row "
                + k / batch.length()
                + ", position "
                + k % batch.length()
                + ") is outside the model's vocabulary: config.json vocab_size is "
                + config.vocabSize()
                + "; is the tokenizer from another model?");
      }
    }
  }

  /**
   * The directory this model was loaded from ({@link HfCheckpoint#load}), absolute; empty for a
   * model built in memory. Adapter checkpoints record it as their base model.
   */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  void source(Path dir) {
    this.source = dir.toAbsolutePath().normalize();
  }

  private Projection proj(int layer, String module) {
    String name = HfNames.projection(layer, module);
    Projection p =
        new Projection(name, parameters.get(name + ".weight"), parameters.get(name + ".bias"));
    projections.add(p);
    return p;
  }

  /**
   * A randomly initialised model (HF init: weights ~ N(0, 0.02), biases 0, norms 1), deterministic
   * for a seed on any device.
   */
  public static DecoderModel randomInit(ModelConfig config, long seed, NDManager parent) {
    NDManager manager = parent.newSubManager();
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : HfNames.expectedShapes(config).entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      float[] data = new float[Math.toIntExact(shape.size())];
      if (name.endsWith("norm.weight")) {
        java.util.Arrays.fill(data, 1f);
      } else if (!name.endsWith(".bias")) {
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) (0.02 * gaussian(rng));
        }
      }
      NDArray a = OwnedArrays.of(manager, data, shape);
      a.setName(name);
      tensors.put(name, a);
    }
    return new DecoderModel(config, manager, tensors);
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  public ModelConfig config() {
    return config;
  }

  /** The manager that owns the weights; create per-step scopes with {@link #newScope()}. */
  public NDManager manager() {
    return manager;
  }

  /** A sub-manager for the activations of one step; close it when the step is done. */
  public NDManager newScope() {
    return manager.newSubManager();
  }

  /** A KV cache for {@code batch} rows of up to {@code capacity} slots each. */
  public KvCache newCache(int batch, int capacity) {
    return new KvCache(manager, config, batch, capacity);
  }

  /** All backbone tensors by HF name, in HF order (read-only view). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Every linear projection of every layer, in layer then HF module order. */
  public List<Projection> projections() {
    return Collections.unmodifiableList(projections);
  }

  /** Marks every backbone tensor as requiring (or not) gradients: method FULL. */
  public void setBackboneTrainable(boolean trainable) {
    if (trainable && backbonePrecision() != BackbonePrecision.FP32) {
      throw new IllegalStateException(
          "training the backbone (method FULL) needs it in fp32, but it was loaded as "
              + backbonePrecision()
              + ": load it with BackbonePrecision.FP32 or train adapters (DART, LORA)");
    }
    for (NDArray a : parameters.values()) {
      a.setRequiresGradient(trainable);
    }
    backboneTrainable = trainable;
  }

  public boolean isBackboneTrainable() {
    return backboneTrainable;
  }

  /**
   * Runs the decoder and returns the final-normed hidden states {@code [B, T, d]}, attached to
   * {@code scope}.
   *
   * @param scope manager for the activations (and the inputs created from {@code batch})
   * @param batch token ids and validity
   * @param cache null for a full-sequence (training) forward; otherwise the batch is appended to it
   * @param adapterAt adapter index per input position ({@code [B*T]}, -1 = none), or null
   */
  public NDArray hidden(NDManager scope, TokenBatch batch, KvCache cache, int[] adapterAt) {
    int b = batch.batch();
    int t = batch.length();
    long[] positions;
    float[] mask;
    int start = 0;
    int s;
    if (cache == null) {
      positions = new long[b * t];
      for (int r = 0; r < b; r++) {
        long p = 0;
        for (int i = 0; i < t; i++) {
          if (batch.isValid(r, i)) {
            positions[r * t + i] = p++;
          }
        }
        if (p > config.positionLimit()) {
          throw new IllegalArgumentException(
              "row "
                  + r
                  + " has "
                  + p
                  + " tokens > "
                  + (config.positionLimit() == config.maxPositions()
                      ? "max_position_embeddings " + config.maxPositions()
                      : "the dynamic rope_scaling limit " + config.positionLimit()));
        }
      }
      s = t;
      mask = AttentionMasks.causal(batch.valid(), b, t, 0, t, t);
    } else {
      start = cache.length();
      positions = cache.append(batch);
      s = cache.length();
      mask = cache.maskForLast(t);
    }
    if (adapterAt != null && adapterAt.length != b * t) {
      throw new IllegalArgumentException("adapterAt must have B*T = " + b * t + " entries");
    }
    requireKnownIds(batch);
    NDArray ids = OwnedArrays.of(scope, batch.ids(), new Shape(b, t));
    NDArray pos = OwnedArrays.of(scope, positions, new Shape(b, t));
    NDArray maskArray =
        AttentionMasks.grouped(scope, mask, config.numHeads() / config.numKvHeads(), b, t, s);
    NDList tables =
        rope.needsOwnTables(positions)
            ? rope.ownTablesAt(scope, positions, b, t)
            : rope.tablesAt(pos);
    ForwardContext ctx =
        new ForwardContext(scope, batch, tables, maskArray, cache, start, adapterAt);
    if (gradientCheckpointing && cache == null && JniUtils.isGradMode()) {
      return Checkpointing.trunk(this, ids, ctx);
    }
    NDArray x = embedLookup(ids); // [B,T,d]
    for (int l = 0; l < layers.size(); l++) {
      NDArray next = layer(l, x, ctx);
      x.close(); // without gradients this frees it; with them autograd keeps what it saved
      x = next;
    }
    return finalNorm.apply(x);
  }

  /** {@code ids [B, T] -> [B, T, d]} in fp32. */
  NDArray embedLookup(NDArray ids) {
    NDArray x = Embedding.embedding(ids, embed, SparseFormat.DENSE).singletonOrThrow(); // [B,T,d]
    if (x.getDataType() != DataType.FLOAT32) {
      // an fp16 table: activations are fp32 throughout (no gradient flows into a frozen table)
      NDArray wide = x.toType(DataType.FLOAT32, false);
      x.close();
      x = wide;
    }
    return x;
  }

  /**
   * Layer {@code l} on {@code x}, closing every intermediate array's handle as soon as the layer's
   * output exists. Without gradients that frees the layer's activations at once (in a scope they
   * would live until the whole forward ends: tens of MB per layer and hundreds of tokens); with
   * gradients autograd keeps its own references to what backward needs.
   */
  NDArray layer(int l, NDArray x, ForwardContext ctx) {
    try (NDScope scope = new NDScope()) {
      NDArray out = layers.get(l).forward(x, ctx);
      NDScope.unregister(out);
      return out;
    }
  }

  int layerCount() {
    return layers.size();
  }

  RmsNorm finalNorm() {
    return finalNorm;
  }

  /** True if the embedding table requires gradients (method FULL). */
  boolean embeddingTrainable() {
    return embed.hasGradient();
  }

  /**
   * Turns per-layer activation recomputation ("gradient checkpointing") on or off. When on, a
   * forward with gradients (no KV cache, grad mode on) keeps only each decoder layer's input and
   * the final hidden states, and the LM head keeps nothing of its {@code [T, V]} logits; backward
   * recomputes one layer (one chunk of positions of the LM head) at a time and back-propagates
   * through it. The gradients equal those of the plain forward up to float rounding in the order of
   * accumulation; a step costs about one more forward. Such a forward must run inside {@code
   * Gradients.backward} ({@link DeferredBackward#run}). Off by default.
   */
  public void setGradientCheckpointing(boolean on) {
    this.gradientCheckpointing = on;
  }

  public boolean isGradientCheckpointing() {
    return gradientCheckpointing;
  }

  /** LM head: {@code hidden [B, T, d] -> logits [B, T, V]}. */
  public NDArray logits(NDArray hidden) {
    if (lmHead.getDataType() == hidden.getDataType()) {
      return Linear.linear(hidden, lmHead).singletonOrThrow();
    }
    return LmHead.logitsByBlocks(hidden, lmHead); // an fp16 head: fp32 logits
  }

  /** The LM head's weight {@code [V, d]} (the embedding when tied). */
  NDArray lmHeadWeight() {
    return lmHead;
  }

  /** How the backbone's matrices are stored. */
  public BackbonePrecision backbonePrecision() {
    return embed.getDataType() == DataType.FLOAT16
        ? BackbonePrecision.FP16
        : BackbonePrecision.FP32;
  }

  /**
   * Positions per LM-head chunk in {@link #logProbs} and {@link #logProbsAndEntropy}: chunks keep
   * each {@code [rows, V]} intermediate at about {@value #CHUNK_ELEMENTS} floats (32 MB).
   */
  static final long CHUNK_ELEMENTS = 8L << 20;

  /**
   * Log-probabilities of {@code targets [B, T]} (INT64) under {@code softmax(logits /
   * temperature)}, returned as {@code [B, T]}. Differentiable.
   *
   * <p>The LM head runs over chunks of positions and frees each chunk's logits as soon as its
   * log-softmax exists, so the {@code [B, T, V]} logits never exist at once: only the log-softmax
   * that backward needs is kept, and backward works chunk by chunk (at 4 × 256 tokens and a
   * 32000-token vocabulary each full-size copy is 131 MB).
   */
  public NDArray logProbs(NDArray hidden, NDArray targets, float temperature) {
    return logProbsAndEntropy(hidden, targets, temperature, false, false, chunkRows()).get(0);
  }

  /**
   * Log-probabilities of {@code targets} (as {@link #logProbs}) and the entropy of each position's
   * tempered distribution, {@code [B, T]} each. The entropy is differentiable only if {@code
   * entropyGrad}; otherwise it is computed from detached log-probs (for logging).
   */
  public NDList logProbsAndEntropy(
      NDArray hidden, NDArray targets, float temperature, boolean entropyGrad) {
    return logProbsAndEntropy(hidden, targets, temperature, true, entropyGrad, chunkRows());
  }

  private long chunkRows() {
    return Math.max(1, CHUNK_ELEMENTS / config.vocabSize());
  }

  /** The chunked computation behind both public methods; {@code chunk} positions at a time. */
  NDList logProbsAndEntropy(
      NDArray hidden,
      NDArray targets,
      float temperature,
      boolean entropy,
      boolean entropyGrad,
      long chunk) {
    if (gradientCheckpointing && JniUtils.isGradMode() && hidden.hasGradient()) {
      return Checkpointing.head(this, hidden, targets, temperature, entropy, entropyGrad, chunk);
    }
    return LmHead.logProbsAndEntropy(
        this, hidden, targets, temperature, entropy, entropyGrad, chunk);
  }

  @Override
  public void close() {
    rope.close();
    manager.close();
  }
}
