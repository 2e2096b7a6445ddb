package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.io.SafetensorsDType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HfCheckpointTest {
  static NDManager root;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void tearDown() {
    root.close();
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(HfCheckpointTest.class.getResource("/fixtures/" + name + "/config.json").toURI())
        .getParent();
  }

  /** Logits of the committed checkpoints match the independent PyTorch oracle (golden.json). */
  @ParameterizedTest
  @ValueSource(strings = {"tiny-qwen2", "tiny-llama"})
  void logitsMatchIndependentOracle(String name) throws Exception {
    Path dir = fixture(name);
    JsonNode golden = JSON.readTree(dir.resolve("golden.json").toFile());
    try (DecoderModel model = HfCheckpoint.load(dir, root)) {
      int v = model.config().vocabSize();
      for (int s = 0; s < golden.get("input_ids").size(); s++) {
        JsonNode idsNode = golden.get("input_ids").get(s);
        long[] ids = new long[idsNode.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = idsNode.get(i).asLong();
        }
        float[] logits;
        try (NDManager scope = model.newScope()) {
          logits = model.logits(model.hidden(scope, TokenBatch.of(ids), null, null)).toFloatArray();
        }
        double maxDiff = 0;
        for (int t = 0; t < ids.length; t++) {
          for (int j = 0; j < v; j++) {
            double expected = golden.get("logits").get(s).get(t).get(j).asDouble();
            maxDiff = Math.max(maxDiff, Math.abs(expected - logits[t * v + j]));
          }
        }
        assertThat(maxDiff).as("%s sequence %d max |Δlogit|", name, s).isLessThan(1e-4);
      }
    }
  }

  @Test
  void saveThenLoadIsIdentical(@TempDir Path tmp) throws Exception {
    try (DecoderModel model = HfCheckpoint.load(fixture("tiny-qwen2"), root)) {
      HfCheckpoint.save(model, tmp, SafetensorsDType.F32);
      try (DecoderModel again = HfCheckpoint.load(tmp, root)) {
        assertThat(again.config()).isEqualTo(model.config());
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
          assertThat(again.parameters().get(e.getKey()).toFloatArray())
              .as(e.getKey())
              .isEqualTo(e.getValue().toFloatArray());
        }
      }
    }
  }

  @Test
  void bf16SaveRoundsAndReloads(@TempDir Path tmp) throws Exception {
    try (DecoderModel model = HfCheckpoint.load(fixture("tiny-llama"), root)) {
      // the llama fixture is bf16-exact, so a bf16 save must reproduce it bit for bit
      HfCheckpoint.save(model, tmp, SafetensorsDType.BF16);
      assertThat(ModelConfig.read(tmp).torchDtype()).isEqualTo("bfloat16");
      try (DecoderModel again = HfCheckpoint.load(tmp, root)) {
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
          assertThat(again.parameters().get(e.getKey()).toFloatArray())
              .isEqualTo(e.getValue().toFloatArray());
        }
      }
    }
  }

  /** A copy of tiny-qwen2 whose config or weights a test then corrupts. */
  static Path copyQwen(Path tmp) throws Exception {
    Path src = fixture("tiny-qwen2");
    Files.copy(src.resolve("config.json"), tmp.resolve("config.json"));
    Files.copy(src.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
    return tmp;
  }

  static void editConfig(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    edit.accept(n);
    JSON.writeValue(dir.resolve("config.json").toFile(), n);
  }

  @Test
  void shapeMismatchWithConfigNamesTensor(@TempDir Path tmp) throws Exception {
    Path dir = copyQwen(tmp);
    editConfig(dir, n -> n.put("intermediate_size", 96));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("mlp.gate_proj.weight")
        .hasMessageContaining("expected (96, 64)");
  }

  @Test
  void missingAndUnexpectedTensorsAreNamed(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("m");
    try (DecoderModel model = HfCheckpoint.load(fixture("tiny-qwen2"), root)) {
      Map<String, NDArray> tensors = new LinkedHashMap<>(model.parameters());
      tensors.remove("model.layers.1.mlp.up_proj.weight");
      HfCheckpoint.save(model.config(), tensors, dir, SafetensorsDType.F32);
      assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("model.layers.1.mlp.up_proj.weight")
          .hasMessageContaining("missing tensor");
      Map<String, NDArray> extra = new LinkedHashMap<>(model.parameters());
      extra.put(
          "model.layers.0.self_attn.q_norm.weight", model.parameters().get("model.norm.weight"));
      Path dir2 = tmp.resolve("m2");
      HfCheckpoint.save(model.config(), extra, dir2, SafetensorsDType.F32);
      assertThatThrownBy(() -> HfCheckpoint.load(dir2, root))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("q_norm")
          .hasMessageContaining("unexpected tensor");
    }
  }

  @Test
  void nanWeightsAreRejected(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("m");
    try (DecoderModel model = HfCheckpoint.load(fixture("tiny-qwen2"), root);
        NDManager s = root.newSubManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>(model.parameters());
      NDArray bad = model.parameters().get("model.norm.weight").duplicate();
      bad.attach(s);
      bad.set(new ai.djl.ndarray.index.NDIndex("3"), Float.NaN);
      tensors.put("model.norm.weight", bad);
      HfCheckpoint.save(model.config(), tensors, dir, SafetensorsDType.F32);
    }
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model.norm.weight")
        .hasMessageContaining("expected finite values, found 1 NaN and 0 infinite of");
    // the opt-out loads the checkpoint as it is, so a diverged run can be inspected
    try (DecoderModel loaded = HfCheckpoint.load(dir, root, NonFiniteWeights.ALLOW)) {
      float[] norm = loaded.parameters().get("model.norm.weight").toFloatArray();
      assertThat(Float.isNaN(norm[3])).isTrue();
      assertThat(Float.isNaN(norm[2])).isFalse();
    }
  }

  @Test
  void configErrorsNameFileAndField(@TempDir Path tmp) throws Exception {
    Path dir = copyQwen(tmp);
    editConfig(dir, n -> n.put("model_type", "gpt2"));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("model_type")
        .hasMessageContaining("gpt2");
    editConfig(dir, n -> n.put("model_type", "qwen2").put("num_key_value_heads", 3));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .hasMessageContaining("num_key_value_heads");
    editConfig(dir, n -> n.put("num_key_value_heads", 2).put("hidden_size", "64"));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .hasMessageContaining("hidden_size")
        .hasMessageContaining("positive integer");
    editConfig(
        dir, n -> n.put("hidden_size", 64).putObject("rope_scaling").put("rope_type", "longrope"));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root)).hasMessageContaining("longrope");
    editConfig(dir, n -> n.remove("rope_scaling"));
    editConfig(dir, n -> n.put("hidden_act", "gelu"));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root)).hasMessageContaining("hidden_act");
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"qwen2\", ");
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("malformed JSON");
    Files.delete(dir.resolve("config.json"));
    assertThatThrownBy(() -> HfCheckpoint.load(dir, root))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not found");
  }
}
