package io.github.dartrl.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an HF {@code config.json} tree into a {@link ModelConfig}, naming the field on error. */
final class ConfigParser {
  private final Path file;
  private final JsonNode root;

  ConfigParser(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  ModelConfig parse() {
    String typeName = text("model_type", null);
    if (typeName == null) {
      throw error("model_type", "missing; expected \"qwen2\" or \"llama\"");
    }
    ModelType type = ModelType.fromHf(typeName);
    if (type == null) {
      throw error(
          "model_type", "unsupported model_type \"" + typeName + "\"; supported: qwen2, llama");
    }
    String act = text("hidden_act", "silu");
    if (!act.equals("silu")) {
      throw error("hidden_act", "unsupported activation \"" + act + "\"; only silu (SwiGLU)");
    }
    if (type == ModelType.QWEN2 && bool("use_sliding_window", false)) {
      throw error("use_sliding_window", "sliding-window attention is not supported");
    }
    int hidden = positiveInt("hidden_size");
    int heads = positiveInt("num_attention_heads");
    int kvHeads =
        root.has("num_key_value_heads") && !root.get("num_key_value_heads").isNull()
            ? positiveInt("num_key_value_heads")
            : heads;
    if (heads % kvHeads != 0) {
      throw error(
          "num_key_value_heads",
          "num_attention_heads (" + heads + ") must be a multiple of it (" + kvHeads + ")");
    }
    int headDim =
        root.has("head_dim") && !root.get("head_dim").isNull()
            ? positiveInt("head_dim")
            : hidden / heads;
    if (!root.has("head_dim") && hidden % heads != 0) {
      throw error("hidden_size", "not divisible by num_attention_heads and no head_dim given");
    }
    if (headDim % 2 != 0) {
      throw error("head_dim", "must be even for rotary embeddings, got " + headDim);
    }
    boolean attentionBias = bool("attention_bias", false);
    boolean qkvBias = type == ModelType.QWEN2 || attentionBias;
    boolean outputBias = type == ModelType.LLAMA && attentionBias;
    boolean mlpBias = type == ModelType.LLAMA && bool("mlp_bias", false);
    String dtype = text("torch_dtype", text("dtype", "float32"));
    if (!List.of("float32", "bfloat16", "float16").contains(dtype)) {
      throw error(
          "torch_dtype",
          "unsupported dtype \"" + dtype + "\"; expected float32, bfloat16 or float16");
    }
    double eps = positiveDouble("rms_norm_eps", 1e-6);
    double theta = positiveDouble("rope_theta", 10000.0);
    try {
      return new ModelConfig(
          type,
          positiveInt("vocab_size"),
          hidden,
          positiveInt("intermediate_size"),
          positiveInt("num_hidden_layers"),
          heads,
          kvHeads,
          headDim,
          eps,
          theta,
          ropeScaling(),
          positiveInt("max_position_embeddings"),
          bool("tie_word_embeddings", false),
          qkvBias,
          outputBias,
          mlpBias,
          dtype,
          root.path("bos_token_id").isIntegralNumber() ? root.get("bos_token_id").asLong() : -1,
          eosIds());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, null, e.getMessage(), e);
    }
  }

  private RopeScaling ropeScaling() {
    JsonNode rs = root.get("rope_scaling");
    if (rs == null || rs.isNull()) {
      return RopeScaling.none();
    }
    if (!rs.isObject()) {
      throw error("rope_scaling", "expected an object or null");
    }
    JsonNode t = rs.has("rope_type") ? rs.get("rope_type") : rs.get("type");
    String type = t == null ? "default" : t.asText();
    if (!RopeScaling.SUPPORTED.contains(type)) {
      throw error(
          "rope_scaling.rope_type",
          "unsupported rope scaling \""
              + type
              + "\"; supported: "
              + String.join(", ", RopeScaling.SUPPORTED));
    }
    if (type.equals("default")) {
      return RopeScaling.none();
    }
    // Fields that only mean something to another type are ignored (as in transformers) and take
    // their defaults, so that the config equals its own toJson() read back.
    double factor = rs.path("factor").asDouble(Double.NaN);
    try {
      return switch (type) {
        case "llama3" ->
            RopeScaling.llama3(
                factor,
                rs.path("low_freq_factor").asDouble(1.0),
                rs.path("high_freq_factor").asDouble(4.0),
                rs.path("original_max_position_embeddings").asInt(0));
        case "yarn" ->
            new RopeScaling(
                type,
                factor,
                1.0,
                4.0,
                rs.path("original_max_position_embeddings").asInt(0),
                orDefault(rs, "beta_fast", 32),
                orDefault(rs, "beta_slow", 1),
                rs.path("attention_factor").asDouble(Double.NaN),
                rs.path("mscale").asDouble(0),
                rs.path("mscale_all_dim").asDouble(0),
                rs.path("truncate").asBoolean(true));
        default -> RopeScaling.simple(type, factor);
      };
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(file, "rope_scaling", e.getMessage(), e);
    }
  }

  /** HF reads these with {@code get(key) or default}: absent, null and 0 all mean the default. */
  private static double orDefault(JsonNode node, String key, double fallback) {
    double v = node.path(key).asDouble(0);
    return v == 0 ? fallback : v;
  }

  private List<Long> eosIds() {
    JsonNode e = root.get("eos_token_id");
    List<Long> ids = new ArrayList<>();
    if (e == null || e.isNull()) {
      return ids;
    }
    if (e.isIntegralNumber()) {
      ids.add(e.asLong());
    } else if (e.isArray()) {
      for (JsonNode x : e) {
        if (!x.isIntegralNumber()) {
          throw error("eos_token_id", "expected an integer or a list of integers");
        }
        ids.add(x.asLong());
      }
    } else {
      throw error("eos_token_id", "expected an integer or a list of integers");
    }
    return ids;
  }

  private int positiveInt(String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw error(field, "missing; expected a positive integer");
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
      throw error(field, "expected a positive integer, found " + n);
    }
    return n.asInt();
  }

  private double positiveDouble(String field, double dflt) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
      throw error(field, "expected a positive number, found " + n);
    }
    return n.asDouble();
  }

  private boolean bool(String field, boolean dflt) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw error(field, "expected true or false, found " + n);
    }
    return n.asBoolean();
  }

  private String text(String field, String dflt) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw error(field, "expected a string, found " + n);
    }
    return n.asText();
  }

  private ModelFormatException error(String field, String message) {
    return new ModelFormatException(file, field, message);
  }
}
