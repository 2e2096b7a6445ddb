package io.github.dartrl.core.model;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one table of HF tensor names for Qwen2/Llama checkpoints and the shape each must have. Names
 * are kept literally as HF writes them; nothing else in the library spells them.
 */
public final class HfNames {
  public static final String EMBED = "model.embed_tokens.weight";
  public static final String FINAL_NORM = "model.norm.weight";
  public static final String LM_HEAD = "lm_head.weight";

  /** Attention projection module names, in HF order. */
  public static final String[] ATTENTION_MODULES = {"q_proj", "k_proj", "v_proj", "o_proj"};

  /** MLP projection module names, in HF order. */
  public static final String[] MLP_MODULES = {"gate_proj", "up_proj", "down_proj"};

  private HfNames() {}

  /** Module path of a projection, e.g. {@code model.layers.3.self_attn.q_proj}. */
  public static String projection(int layer, String module) {
    String block = module.endsWith("_proj") && isAttention(module) ? "self_attn" : "mlp";
    return "model.layers." + layer + "." + block + "." + module;
  }

  public static String inputNorm(int layer) {
    return "model.layers." + layer + ".input_layernorm.weight";
  }

  public static String postAttentionNorm(int layer) {
    return "model.layers." + layer + ".post_attention_layernorm.weight";
  }

  static boolean isAttention(String module) {
    for (String m : ATTENTION_MODULES) {
      if (m.equals(module)) {
        return true;
      }
    }
    return false;
  }

  /** Every tensor a checkpoint of this config must contain, with its HF shape, in HF order. */
  public static Map<String, Shape> expectedShapes(ModelConfig c) {
    Map<String, Shape> m = new LinkedHashMap<>();
    long d = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long inter = c.intermediateSize();
    m.put(EMBED, new Shape(c.vocabSize(), d));
    for (int l = 0; l < c.numLayers(); l++) {
      String a = "model.layers." + l + ".self_attn.";
      m.put(a + "q_proj.weight", new Shape(q, d));
      m.put(a + "k_proj.weight", new Shape(kv, d));
      m.put(a + "v_proj.weight", new Shape(kv, d));
      if (c.qkvBias()) {
        m.put(a + "q_proj.bias", new Shape(q));
        m.put(a + "k_proj.bias", new Shape(kv));
        m.put(a + "v_proj.bias", new Shape(kv));
      }
      m.put(a + "o_proj.weight", new Shape(d, q));
      if (c.outputBias()) {
        m.put(a + "o_proj.bias", new Shape(d));
      }
      String p = "model.layers." + l + ".mlp.";
      m.put(p + "gate_proj.weight", new Shape(inter, d));
      m.put(p + "up_proj.weight", new Shape(inter, d));
      m.put(p + "down_proj.weight", new Shape(d, inter));
      if (c.mlpBias()) {
        m.put(p + "gate_proj.bias", new Shape(inter));
        m.put(p + "up_proj.bias", new Shape(inter));
        m.put(p + "down_proj.bias", new Shape(d));
      }
      m.put(inputNorm(l), new Shape(d));
      m.put(postAttentionNorm(l), new Shape(d));
    }
    m.put(FINAL_NORM, new Shape(d));
    if (!c.tieWordEmbeddings()) {
      m.put(LM_HEAD, new Shape(c.vocabSize(), d));
    }
    return m;
  }
}
