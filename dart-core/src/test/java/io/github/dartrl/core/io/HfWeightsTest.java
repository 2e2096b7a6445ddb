package io.github.dartrl.core.io;

import static io.github.dartrl.core.io.SafetensorsBytes.assertBad;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-file and sharded model directories: round trips, re-saves, and malformed indexes. */
class HfWeightsTest {
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  /** Five tensors of 4, 40, 400, 40 and 4 floats (16, 160, 1600, 160, 16 bytes as F32). */
  private Map<String, NDArray> model() {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("model.embed_tokens.weight", manager.randomNormal(new Shape(2, 2)));
    t.put("model.layers.0.self_attn.q_proj.weight", manager.randomNormal(new Shape(4, 10)));
    t.put("model.layers.0.mlp.up_proj.weight", manager.randomNormal(new Shape(40, 10)));
    t.put("model.layers.0.self_attn.q_proj.bias", manager.randomNormal(new Shape(40)));
    t.put("model.norm.weight", manager.randomNormal(new Shape(4)));
    return t;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertSame(WeightSource w, Map<String, NDArray> expected) {
    assertThat(w.names()).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, NDArray> e : expected.entrySet()) {
      NDArray back = w.load(e.getKey(), manager);
      assertThat(back.getShape()).as(e.getKey()).isEqualTo(e.getValue().getShape());
      assertThat(back.toFloatArray()).as(e.getKey()).containsExactly(e.getValue().toFloatArray());
      assertThat(w.info(e.getKey()).shape()).containsExactly(e.getValue().getShape().getShape());
    }
  }

  @Test
  void singleFileRoundTrip() throws IOException {
    Map<String, NDArray> t = model();
    HfWeights.save(dir, t, SafetensorsDType.F32, 1L << 30);
    assertThat(files()).containsExactly("model.safetensors");
    try (WeightSource w = HfWeights.open(dir)) {
      assertSame(w, t);
      assertThat(w.location("model.norm.weight")).isEqualTo(dir.resolve("model.safetensors"));
    }
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      assertThat(f.metadata()).containsEntry("format", "pt");
    }
  }

  @Test
  void shardedRoundTrip() throws IOException {
    Map<String, NDArray> t = model();
    HfWeights.save(dir, t, SafetensorsDType.F32, 200); // [16+160], [1600], [160+16]
    assertThat(files())
        .containsExactly(
            "model-00001-of-00003.safetensors",
            "model-00002-of-00003.safetensors",
            "model-00003-of-00003.safetensors",
            "model.safetensors.index.json");
    JsonNode index =
        new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
    assertThat(index.path("metadata").path("total_size").asLong()).isEqualTo(1952);
    assertThat(index.path("weight_map").path("model.layers.0.mlp.up_proj.weight").asText())
        .isEqualTo("model-00002-of-00003.safetensors");
    try (WeightSource w = HfWeights.open(dir)) {
      assertSame(w, t);
      assertThat(w.location("model.norm.weight"))
          .isEqualTo(dir.resolve("model-00003-of-00003.safetensors"));
    }
  }

  @Test
  void bf16ShardedRoundTripMatchesJavaRounding() {
    Map<String, NDArray> t = model();
    HfWeights.save(dir, t, SafetensorsDType.BF16, 100);
    try (WeightSource w = HfWeights.open(dir)) {
      for (String name : t.keySet()) {
        assertThat(w.info(name).dtype()).isEqualTo(SafetensorsDType.BF16);
        float[] in = t.get(name).toFloatArray();
        float[] back = w.load(name, manager).toFloatArray();
        for (int i = 0; i < in.length; i++) {
          assertThat(back[i]).isEqualTo(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(in[i])));
        }
      }
    }
  }

  @Test
  void resavingSwitchesLayoutAndRemovesStaleShards() throws IOException {
    Files.writeString(dir.resolve("config.json"), "{}");
    HfWeights.save(dir, model(), SafetensorsDType.F32, 200);
    Map<String, NDArray> smaller = model();
    smaller.remove("model.layers.0.mlp.up_proj.weight");
    HfWeights.save(dir, smaller, SafetensorsDType.F32, 200); // now two shards
    assertThat(files())
        .containsExactly(
            "config.json",
            "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors",
            "model.safetensors.index.json");
    try (WeightSource w = HfWeights.open(dir)) {
      assertSame(w, smaller);
    }
    HfWeights.save(dir, smaller, SafetensorsDType.F32, 1 << 20);
    assertThat(files()).containsExactly("config.json", "model.safetensors");
    HfWeights.save(dir, smaller, SafetensorsDType.F32, 200);
    assertThat(files())
        .doesNotContain("model.safetensors")
        .contains("model.safetensors.index.json");
    try (WeightSource w = HfWeights.open(dir)) {
      assertSame(w, smaller);
    }
  }

  // ---- malformed directories ----

  private Path shardedModel() {
    HfWeights.save(dir, model(), SafetensorsDType.F32, 200);
    return dir.resolve("model.safetensors.index.json");
  }

  private void rewriteIndex(Path index, String from, String to) throws IOException {
    String json = Files.readString(index, StandardCharsets.UTF_8);
    assertThat(json).contains(from);
    Files.writeString(index, json.replace(from, to));
  }

  @Test
  void emptyDirectory() {
    assertBad(dir, null, () -> HfWeights.open(dir), "found neither");
    Path absent = dir.resolve("absent");
    assertBad(absent, null, () -> HfWeights.open(absent), "expected a model directory");
  }

  @Test
  void pickleOnlyDirectoryIsRefusedWithAConversionHint() throws IOException {
    // Bytes that would run code if unpickled (GLOBAL os.system + REDUCE); they must never be read.
    Files.write(dir.resolve("pytorch_model.bin"), "cos\nsystem\n(S'touch pwned'\ntR.".getBytes());
    Files.write(dir.resolve("model.pt"), new byte[] {(byte) 0x80, 2});
    Files.writeString(dir.resolve("config.json"), "{}");
    assertBad(
        dir,
        null,
        () -> HfWeights.open(dir),
        "found only PyTorch pickle/TorchScript weights [model.pt, pytorch_model.bin]",
        "never loads",
        "Convert the checkpoint to safetensors",
        "safe_serialization=True");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void indexPointsAtMissingShard() throws IOException {
    Path index = shardedModel();
    Files.delete(dir.resolve("model-00003-of-00003.safetensors"));
    assertBad(
        index,
        "model.layers.0.self_attn.q_proj.bias",
        () -> HfWeights.open(dir),
        "model-00003-of-00003.safetensors",
        "found none");
  }

  @Test
  void indexPointsOutsideTheDirectory() throws IOException {
    Path index = shardedModel();
    rewriteIndex(index, "\"model-00003-of-00003.safetensors\"", "\"../x.safetensors\"");
    assertBad(
        index,
        "model.layers.0.self_attn.q_proj.bias",
        () -> HfWeights.open(dir),
        "'../x.safetensors'",
        "inside the model directory");
    rewriteIndex(index, "\"../x.safetensors\"", "\"/etc/passwd\"");
    assertBad(
        index, "model.layers.0.self_attn.q_proj.bias", () -> HfWeights.open(dir), "/etc/passwd");
  }

  @Test
  void indexListsTensorAbsentInShard() throws IOException {
    Path index = shardedModel();
    rewriteIndex(
        index,
        "\"model.norm.weight\" : \"model-00003-of-00003.safetensors\"",
        "\"model.norm.weight\" : \"model-00003-of-00003.safetensors\",\n"
            + "    \"lm_head.weight\" : \"model-00001-of-00003.safetensors\"");
    Path shard = dir.resolve("model-00001-of-00003.safetensors");
    assertBad(shard, "lm_head.weight", () -> HfWeights.open(dir), "model.safetensors.index.json");
  }

  @Test
  void shardHoldsTensorTheIndexDoesNotList() throws IOException {
    Path index = shardedModel();
    rewriteIndex(index, ",\n    \"model.norm.weight\" : \"model-00003-of-00003.safetensors\"", "");
    Path shard = dir.resolve("model-00003-of-00003.safetensors");
    assertBad(shard, "model.norm.weight", () -> HfWeights.open(dir), "no shard");
  }

  @Test
  void weightMapNotAnObject() throws IOException {
    Path index = dir.resolve("model.safetensors.index.json");
    Files.writeString(index, "{\"metadata\": {}, \"weight_map\": [\"a\"]}");
    assertBad(index, "weight_map", () -> HfWeights.open(dir), "expected an object", "[\"a\"]");
    Files.writeString(index, "not json");
    assertBad(index, "index", () -> HfWeights.open(dir), "invalid JSON");
  }

  @Test
  void missingTensorInWeightSource() {
    shardedModel();
    try (WeightSource w = HfWeights.open(dir)) {
      assertBad(dir, "lm_head.weight", () -> w.info("lm_head.weight"), "found none");
      assertBad(dir, "lm_head.weight", () -> w.load("lm_head.weight", manager), "found none");
      assertBad(dir, "lm_head.weight", () -> w.location("lm_head.weight"), "found none");
    }
  }

  @Test
  void nonPositiveShardSizeIsRejected() {
    assertThatThrownBy(() -> HfWeights.save(dir, model(), SafetensorsDType.F32, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
