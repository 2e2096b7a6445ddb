package io.github.dartrl.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a Qwen2/Llama-family decoder, as read from an HF {@code config.json}.
 *
 * <p>Validated in the compact constructor; {@link #read(Path)} turns every missing, mistyped or
 * unsupported field into a {@link ModelFormatException} that names the file and the field.
 *
 * @param modelType family (decides default biases)
 * @param vocabSize rows of the embedding and LM head
 * @param hiddenSize model width d
 * @param intermediateSize SwiGLU inner width
 * @param numLayers decoder layers
 * @param numHeads query heads H
 * @param numKvHeads key/value heads (GQA); H must be a multiple
 * @param headDim per-head width (HF {@code head_dim}, default d/H)
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta rotary base
 * @param ropeScaling rotary frequency scaling ({@link RopeScaling#none()} if absent)
 * @param maxPositions {@code max_position_embeddings}
 * @param tieWordEmbeddings LM head shares the embedding matrix
 * @param qkvBias bias on q/k/v projections (always for Qwen2; {@code attention_bias} for Llama)
 * @param outputBias bias on o_proj ({@code attention_bias} for Llama; never for Qwen2)
 * @param mlpBias bias on gate/up/down ({@code mlp_bias}, Llama only)
 * @param torchDtype dtype the checkpoint was saved in ("float32", "bfloat16", "float16")
 * @param bosTokenId BOS id or -1
 * @param eosTokenIds EOS ids (may be empty)
 */
public record ModelConfig(
    ModelType modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int maxPositions,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean outputBias,
    boolean mlpBias,
    String torchDtype,
    long bosTokenId,
    List<Long> eosTokenIds) {

  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  /**
   * Sanity bounds on sizes (docs/formats.md): generous (several times the largest open models), but
   * small enough that a corrupt or hostile config.json fails here, naming the field, instead of
   * allocating gigabytes (10^7 layers) or overflowing a native size (2^31 - 1 positions).
   */
  public static final int MAX_VOCAB_SIZE = 1 << 22;

  public static final int MAX_HIDDEN_SIZE = 1 << 16;
  public static final int MAX_INTERMEDIATE_SIZE = 1 << 19;
  public static final int MAX_LAYERS = 1024;
  public static final int MAX_HEADS = 1024;
  public static final int MAX_HEAD_DIM = 1024;
  public static final int MAX_POSITIONS = 1 << 20;

  public ModelConfig {
    require(vocabSize > 0, "vocab_size must be > 0");
    require(hiddenSize > 0, "hidden_size must be > 0");
    require(intermediateSize > 0, "intermediate_size must be > 0");
    require(numLayers > 0, "num_hidden_layers must be > 0");
    require(numHeads > 0, "num_attention_heads must be > 0");
    require(numKvHeads > 0, "num_key_value_heads must be > 0");
    require(
        numHeads % numKvHeads == 0,
        "num_attention_heads ("
            + numHeads
            + ") must be a multiple of num_key_value_heads ("
            + numKvHeads
            + ")");
    require(headDim > 0 && headDim % 2 == 0, "head_dim must be positive and even, got " + headDim);
    require(rmsNormEps > 0, "rms_norm_eps must be > 0");
    require(ropeTheta > 0, "rope_theta must be > 0");
    require(maxPositions > 0, "max_position_embeddings must be > 0");
    require(ropeScaling != null, "rope scaling must not be null (use RopeScaling.none())");
    atMost("vocab_size", vocabSize, MAX_VOCAB_SIZE);
    atMost("hidden_size", hiddenSize, MAX_HIDDEN_SIZE);
    atMost("intermediate_size", intermediateSize, MAX_INTERMEDIATE_SIZE);
    atMost("num_hidden_layers", numLayers, MAX_LAYERS);
    atMost("num_attention_heads", numHeads, MAX_HEADS);
    atMost("num_key_value_heads", numKvHeads, MAX_HEADS);
    atMost("head_dim", headDim, MAX_HEAD_DIM);
    atMost("max_position_embeddings", maxPositions, MAX_POSITIONS);
    require(modelType != ModelType.QWEN2 || !outputBias, "qwen2 has no o_proj bias");
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  private static void atMost(String field, int value, int max) {
    require(
        value <= max,
        field
            + " must be at most "
            + max
            + " (dart4j's sanity bound; see docs/formats.md), got "
            + value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Queries per key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /**
   * A tiny Qwen2-architecture config for tests: d=64, 2 layers, 4 heads / 2 KV heads, MLP 128.
   *
   * @param vocabSize vocabulary size of the tokenizer it will be paired with
   */
  public static ModelConfig tiny(int vocabSize) {
    return qwen2(vocabSize, 64, 2, 4, 2, 128, 256);
  }

  /** A Qwen2-architecture config of the given size (tied embeddings, theta 10000, fp32). */
  public static ModelConfig qwen2(
      int vocabSize,
      int hiddenSize,
      int numLayers,
      int numHeads,
      int numKvHeads,
      int intermediateSize,
      int maxPositions) {
    return new ModelConfig(
        ModelType.QWEN2,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        hiddenSize / numHeads,
        1e-6,
        10000.0,
        RopeScaling.none(),
        maxPositions,
        true,
        true,
        false,
        false,
        "float32",
        -1,
        List.of());
  }

  /** Returns a copy with other EOS/BOS ids (e.g. those of the tokenizer it is paired with). */
  public ModelConfig withSpecialTokens(long bos, List<Long> eos) {
    return new ModelConfig(
        modelType,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        headDim,
        rmsNormEps,
        ropeTheta,
        ropeScaling,
        maxPositions,
        tieWordEmbeddings,
        qkvBias,
        outputBias,
        mlpBias,
        torchDtype,
        bos,
        eos);
  }

  /** Reads and validates {@code config.json} (a file, or a model directory containing one). */
  public static ModelConfig read(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ModelFormatException(file, null, "config.json not found");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ModelFormatException.malformedJson(file, e);
    } catch (IOException e) {
      throw new ModelFormatException(file, null, "cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(file, null, "expected a JSON object");
    }
    return new ConfigParser(file, root).parse();
  }

  /** Serialises this config as an HF {@code config.json} object. */
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures")
        .add(modelType == ModelType.QWEN2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
    n.put("model_type", modelType.hfName());
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("num_hidden_layers", numLayers);
    n.put("num_attention_heads", numHeads);
    n.put("num_key_value_heads", numKvHeads);
    n.put("head_dim", headDim);
    n.put("rms_norm_eps", rmsNormEps);
    n.put("rope_theta", ropeTheta);
    if (ropeScaling.type().equals("default")) {
      n.putNull("rope_scaling");
    } else {
      ObjectNode rs = n.putObject("rope_scaling");
      rs.put("rope_type", ropeScaling.type());
      rs.put("factor", ropeScaling.factor());
      if (ropeScaling.type().equals("llama3")) {
        rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
        rs.put("high_freq_factor", ropeScaling.highFreqFactor());
        rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
      } else if (ropeScaling.type().equals("yarn")) {
        if (ropeScaling.originalMaxPositions() > 0) {
          rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositions());
        }
        rs.put("beta_fast", ropeScaling.betaFast());
        rs.put("beta_slow", ropeScaling.betaSlow());
        if (!Double.isNaN(ropeScaling.attentionFactor())) {
          rs.put("attention_factor", ropeScaling.attentionFactor());
        }
        if (ropeScaling.mscale() > 0) {
          rs.put("mscale", ropeScaling.mscale());
        }
        if (ropeScaling.mscaleAllDim() > 0) {
          rs.put("mscale_all_dim", ropeScaling.mscaleAllDim());
        }
        rs.put("truncate", ropeScaling.truncate());
      }
    }
    n.put("max_position_embeddings", maxPositions);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    if (modelType == ModelType.LLAMA) {
      n.put("attention_bias", qkvBias);
      n.put("mlp_bias", mlpBias);
    } else {
      n.put("use_sliding_window", false);
    }
    n.put("hidden_act", "silu");
    n.put("torch_dtype", torchDtype);
    if (bosTokenId >= 0) {
      n.put("bos_token_id", bosTokenId);
    }
    if (eosTokenIds.size() == 1) {
      n.put("eos_token_id", eosTokenIds.get(0));
    } else if (!eosTokenIds.isEmpty()) {
      ArrayNode a = n.putArray("eos_token_id");
      eosTokenIds.forEach(a::add);
    }
    return n;
  }

  /**
   * The longest sequence the model runs: {@code max_position_embeddings}, or under dynamic NTK rope
   * scaling that times the factor (transformers sets no limit; dart4j stops where the scaling's own
   * stretch ends, and at {@link #MAX_POSITIONS}).
   */
  public int positionLimit() {
    if (!ropeScaling.type().equals("dynamic") || ropeScaling.factor() <= 1) {
      return maxPositions;
    }
    return (int) Math.min(MAX_POSITIONS, Math.floor(maxPositions * ropeScaling.factor()));
  }

  /** Writes {@code config.json} into a model directory (atomically). */
  public void write(Path modelDir) throws IOException {
    byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
    AtomicFiles.write(modelDir.resolve("config.json"), out -> out.write(json));
  }

  /** Number of backbone parameters (embeddings counted once when tied). */
  public long parameterCount() {
    long d = hiddenSize;
    long q = (long) numHeads * headDim;
    long kv = (long) numKvHeads * headDim;
    long attn = d * q + 2 * d * kv + q * d + (qkvBias ? q + 2 * kv : 0) + (outputBias ? d : 0);
    long mlp = 3 * d * intermediateSize + (mlpBias ? 2L * intermediateSize + d : 0);
    long layer = attn + mlp + 2 * d;
    long embed = (long) vocabSize * d;
    return numLayers * layer + d + embed + (tieWordEmbeddings ? 0 : embed);
  }
}
