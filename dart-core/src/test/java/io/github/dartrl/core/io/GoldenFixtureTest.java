package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle fixtures ({@code fixtures/README.md}) parse with this package, and their tensor names
 * and shapes are exactly those an HF model of their {@code config.json} has. The logits themselves
 * are checked by the model's own tests.
 */
class GoldenFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(
            GoldenFixtureTest.class.getResource("/fixtures/" + name + "/config.json").toURI())
        .getParent();
  }

  /** HF tensor name to shape, derived from the config alone. */
  static Map<String, long[]> expectedShapes(JsonNode c) {
    long d = c.get("hidden_size").asLong();
    long f = c.get("intermediate_size").asLong();
    long v = c.get("vocab_size").asLong();
    long h = c.get("num_attention_heads").asLong();
    long kv = c.get("num_key_value_heads").asLong();
    long hd = c.has("head_dim") ? c.get("head_dim").asLong() : d / h;
    boolean bias =
        c.get("model_type").asText().equals("qwen2") || c.path("attention_bias").asBoolean();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("model.embed_tokens.weight", new long[] {v, d});
    for (int i = 0; i < c.get("num_hidden_layers").asInt(); i++) {
      String p = "model.layers." + i + ".";
      s.put(p + "self_attn.q_proj.weight", new long[] {h * hd, d});
      s.put(p + "self_attn.k_proj.weight", new long[] {kv * hd, d});
      s.put(p + "self_attn.v_proj.weight", new long[] {kv * hd, d});
      if (bias) {
        s.put(p + "self_attn.q_proj.bias", new long[] {h * hd});
        s.put(p + "self_attn.k_proj.bias", new long[] {kv * hd});
        s.put(p + "self_attn.v_proj.bias", new long[] {kv * hd});
      }
      s.put(p + "self_attn.o_proj.weight", new long[] {d, h * hd});
      s.put(p + "mlp.gate_proj.weight", new long[] {f, d});
      s.put(p + "mlp.up_proj.weight", new long[] {f, d});
      s.put(p + "mlp.down_proj.weight", new long[] {d, f});
      s.put(p + "input_layernorm.weight", new long[] {d});
      s.put(p + "post_attention_layernorm.weight", new long[] {d});
    }
    s.put("model.norm.weight", new long[] {d});
    if (!c.get("tie_word_embeddings").asBoolean()) {
      s.put("lm_head.weight", new long[] {v, d});
    }
    return s;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-qwen2", "tiny-llama"})
  void fixtureMatchesItsConfig(String name) throws IOException, URISyntaxException {
    Path dir = fixture(name);
    JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
    SafetensorsDType stored =
        config.get("torch_dtype").asText().equals("bfloat16")
            ? SafetensorsDType.BF16
            : SafetensorsDType.F32;
    Map<String, long[]> expected = expectedShapes(config);
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        WeightSource w = HfWeights.open(dir)) {
      assertThat(w.names()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      for (Map.Entry<String, long[]> e : expected.entrySet()) {
        TensorInfo info = w.info(e.getKey());
        assertThat(info.shape()).as(e.getKey()).containsExactly(e.getValue());
        assertThat(info.dtype()).as(e.getKey()).isEqualTo(stored);
        NDArray a = w.load(e.getKey(), manager);
        assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
        for (float x : a.toFloatArray()) {
          assertThat(Float.isFinite(x)).as(e.getKey()).isTrue();
          if (stored == SafetensorsDType.BF16) {
            assertThat(Float.floatToRawIntBits(x) & 0xFFFF).as(e.getKey()).isZero();
          }
        }
      }
    }
    JsonNode golden = JSON.readTree(dir.resolve("golden.json").toFile());
    JsonNode ids = golden.get("input_ids");
    JsonNode logits = golden.get("logits");
    assertThat(ids.size()).isEqualTo(2);
    assertThat(logits.size()).isEqualTo(2);
    int vocab = config.get("vocab_size").asInt();
    for (int s = 0; s < 2; s++) {
      assertThat(ids.get(s).size()).isEqualTo(s == 0 ? 12 : 7);
      ids.get(s).forEach(id -> assertThat(id.asInt()).isBetween(0, vocab - 1));
      assertThat(logits.get(s).size()).isEqualTo(ids.get(s).size());
      logits.get(s).forEach(row -> assertThat(row.size()).isEqualTo(vocab));
    }
  }
}
