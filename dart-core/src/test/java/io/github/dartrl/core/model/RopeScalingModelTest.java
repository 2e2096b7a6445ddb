package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rope scaling in the model. Dynamic NTK: within {@code max_position_embeddings} it is the plain
 * rotary embedding; beyond, a forward of length L is the plain rotary embedding with the grown base
 * {@code theta * (factor * L / max - (factor - 1))^(D/(D-2))} (transformers' {@code
 * _compute_dynamic_ntk_parameters}); past {@code factor * max} positions it is refused.
 */
class RopeScalingModelTest {
  static final int MAX = 16;
  static final double FACTOR = 2.0;
  static NDManager root;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void tearDown() {
    root.close();
  }

  static ModelConfig config(double theta, int maxPositions, boolean dynamic) {
    ObjectNode n = ModelConfig.qwen2(50, 32, 2, 4, 2, 64, 128).toJson();
    n.put("rope_theta", theta).put("max_position_embeddings", maxPositions);
    if (dynamic) {
      n.putObject("rope_scaling").put("rope_type", "dynamic").put("factor", FACTOR);
    }
    return new ConfigParser(Path.of("config.json"), n).parse();
  }

  static float[] logits(ModelConfig c, long[] ids) {
    return logits(c, ids, 1f);
  }

  /** Logits of the sharp test model, with every q_proj (weight and bias) times {@code q}. */
  static float[] logits(ModelConfig c, long[] ids, float q) {
    try (DecoderModel m = DecoderModel.randomInit(c, 7, root)) {
      try (GradMode off = GradMode.disabled()) {
        for (NDArray a : m.parameters().values()) {
          if (!a.getName().endsWith("norm.weight")) {
            a.muli(10f);
          }
          if (a.getName().contains("q_proj")) {
            a.muli(q);
          }
        }
      }
      try (NDManager s = m.newScope()) {
        return m.logits(m.hidden(s, TokenBatch.of(ids), null, null)).toFloatArray();
      }
    }
  }

  static long[] ids(int n) {
    Random r = new Random(3);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.nextInt(50);
    }
    return ids;
  }

  @Test
  void withinMaxPositionsDynamicIsThePlainRotaryEmbedding() {
    ModelConfig dynamic = config(10000.0, MAX, true);
    assertThat(dynamic.positionLimit()).isEqualTo(32);
    assertThat(logits(dynamic, ids(MAX)))
        .containsExactly(logits(config(10000.0, MAX, false), ids(MAX)), within(1e-6f));
  }

  @Test
  void beyondMaxPositionsTheBaseGrowsWithTheLength() {
    int len = 24;
    int d = 8; // head dim: 32 / 4
    double grown = 10000.0 * Math.pow(FACTOR * len / MAX - (FACTOR - 1), (double) d / (d - 2));
    float[] dynamic = logits(config(10000.0, MAX, true), ids(len));
    float[] plainGrown = logits(config(grown, 64, false), ids(len));
    float[] plainOriginal = logits(config(10000.0, 64, false), ids(len));
    assertThat(dynamic).containsExactly(plainGrown, within(1e-5f));
    float diff = 0;
    for (int i = 0; i < dynamic.length; i++) {
      diff = Math.max(diff, Math.abs(dynamic[i] - plainOriginal[i]));
    }
    assertThat(diff).isGreaterThan(1e-3f); // the growth matters: not the original base
  }

  @Test
  void yarnsAttentionFactorScalesCosAndSinAsInTransformers() {
    // original_max_position_embeddings = max: the factor used is 1, so only attention_factor acts;
    // it multiplies cos and sin, so queries and keys, so every attention score by its square
    ObjectNode n = config(10000.0, MAX, false).toJson();
    n.putObject("rope_scaling")
        .put("rope_type", "yarn")
        .put("factor", 4.0)
        .put("original_max_position_embeddings", MAX)
        .put("attention_factor", 1.5);
    ModelConfig yarn = new ConfigParser(Path.of("config.json"), n).parse();
    assertThat(logits(yarn, ids(12)))
        .containsExactly(logits(config(10000.0, MAX, false), ids(12), 2.25f), within(1e-4f));
  }

  @Test
  void pastFactorTimesMaxPositionsIsRefused() {
    ModelConfig dynamic = config(10000.0, MAX, true);
    assertThatThrownBy(() -> logits(dynamic, ids(33)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dynamic rope_scaling limit 32");
    assertThatThrownBy(() -> logits(config(10000.0, MAX, false), ids(17)))
        .hasMessageContaining("max_position_embeddings 16");
  }
}
