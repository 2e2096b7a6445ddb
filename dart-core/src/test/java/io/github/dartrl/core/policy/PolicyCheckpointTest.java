package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.lora.AdapterMerger;
import io.github.dartrl.core.lora.PeftAdapterFormat;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.model.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCheckpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static NDManager root;
  static DecoderModel model;
  Policy policy;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, PolicyTest.PIECES.length, 5);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  @AfterEach
  void close() {
    if (policy != null) {
      policy.close();
      policy = null;
    }
  }

  static float[] routedLogits(Policy p) {
    SequenceBatch batch =
        new SequenceBatch(
            List.of(PolicyTest.SEQ), List.of(PolicyTest.rolesOf(PolicyTest.SEQ, 1, p)), 0);
    try (NDManager s = model.newScope()) {
      return model
          .logits(model.hidden(s, batch.tokens(), null, batch.adapterAt(p.roleMap())))
          .toFloatArray();
    }
  }

  Path savedDart(Path tmp) {
    policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK);
    PolicyTest.randomizeB(policy.adapters(), 9);
    Path dir = tmp.resolve("adapters");
    PolicyCheckpoint.save(policy, dir, "tiny");
    return dir;
  }

  @Test
  void savingLeavesNoArraysBehind(@TempDir Path tmp) {
    Path dir = savedDart(tmp);
    int live = root.getManagedArrays().size();
    for (int i = 0; i < 3; i++) {
      PolicyCheckpoint.save(policy, dir, "tiny");
    }
    assertThat(root.getManagedArrays()).hasSize(live);
  }

  @Test
  void saveLoadReproducesOutputsAndWritesPeftLayout(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    float[] before = routedLogits(policy);
    policy.close();
    policy = null;
    assertThat(dir.resolve("reasoning/adapter_config.json")).exists();
    assertThat(dir.resolve("tool/adapter_model.safetensors")).exists();
    var cfg = JSON.readTree(dir.resolve("tool/adapter_config.json").toFile());
    assertThat(cfg.get("peft_type").asText()).isEqualTo("LORA");
    assertThat(cfg.get("r").asInt()).isEqualTo(8);
    assertThat(cfg.get("lora_alpha").asDouble()).isEqualTo(16.0);
    policy = PolicyCheckpoint.load(model, dir, PolicyTest.DETOK);
    assertThat(policy.method()).isEqualTo(Method.DART);
    assertThat(routedLogits(policy)).containsExactly(before);
  }

  @Test
  void mergedModelEqualsModelWithAdapter() {
    policy = Policy.create(model, PolicyConfig.lora(), PolicyTest.DETOK);
    PolicyTest.randomizeB(policy.adapters(), 4);
    float[] withAdapter = routedLogits(policy);
    try (NDManager m = root.newSubManager()) {
      Map<String, NDArray> merged = AdapterMerger.merged(policy.adapters(), 0, m);
      policy.close();
      policy = null;
      try (DecoderModel mergedModel = new DecoderModel(model.config(), m.newSubManager(), merged);
          NDManager s = mergedModel.newScope()) {
        float[] logits =
            mergedModel
                .logits(mergedModel.hidden(s, TokenBatch.of(PolicyTest.SEQ), null, null))
                .toFloatArray();
        assertThat(logits).containsExactly(withAdapter, within(1e-4f));
      }
    }
  }

  static void edit(Path file, Consumer<ObjectNode> e) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
    e.accept(n);
    JSON.writeValue(file.toFile(), n);
  }

  void assertLoadFails(Path dir, String... fragments) {
    var a =
        assertThatThrownBy(() -> PolicyCheckpoint.load(model, dir, PolicyTest.DETOK))
            .isInstanceOf(ModelFormatException.class);
    for (String f : fragments) {
      a.hasMessageContaining(f);
    }
    // a failed load leaves no adapters behind on the model
    assertThat(model.projections()).allMatch(p -> p.delta() == null);
  }

  @Test
  void rankMismatchIsReportedWithTensorAndShapes(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    edit(dir.resolve("tool/" + PeftAdapterFormat.CONFIG_FILE), n -> n.put("r", 4));
    assertLoadFails(
        dir, "tool/adapter_model.safetensors", "lora_A.weight", "expected shape [4, 32]");
  }

  @Test
  void targetMismatchIsReported(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    edit(
        dir.resolve("reasoning/" + PeftAdapterFormat.CONFIG_FILE),
        n -> {
          n.putArray("target_modules").add("q_proj").add("v_proj");
        });
    assertLoadFails(dir, "reasoning", "unexpected tensor");
    edit(
        dir.resolve("reasoning/" + PeftAdapterFormat.CONFIG_FILE),
        n -> {
          n.putArray("target_modules").add("qkv_proj");
        });
    assertLoadFails(dir, "target_modules", "qkv_proj");
  }

  @Test
  void badDartJsonIsReported(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    Path dart = dir.resolve(PolicyCheckpoint.DART_FILE);
    String original = Files.readString(dart);
    edit(dart, n -> ((ObjectNode) n.get("role_map")).put("TOOL", 0));
    assertLoadFails(dir, "role_map.TOOL");
    Files.writeString(dart, original);
    edit(dart, n -> ((ObjectNode) n.get("role_map")).put("THINKING", 0));
    assertLoadFails(dir, "role_map.THINKING", "unknown role");
    Files.writeString(dart, original);
    edit(dart, n -> n.put("method", "MIXTURE"));
    assertLoadFails(dir, "method", "MIXTURE");
    Files.writeString(dart, original);
    edit(dart, n -> n.putArray("spans").addObject().put("open", "<s>").put("close", "<s>"));
    assertLoadFails(dir, "spans", "must differ");
    Files.writeString(dart, original);
    edit(dir.resolve("tool/" + PeftAdapterFormat.CONFIG_FILE), n -> n.put("use_dora", true));
    assertLoadFails(dir, "use_dora");
  }

  @Test
  void nonFiniteAdapterWeightsAreRejectedUnlessAllowed(@TempDir Path tmp) throws Exception {
    policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK);
    String proj = policy.adapters().layers().get(0).target().name();
    try (NDManager s = model.newScope()) {
      NDArray[] w = policy.adapters().weightsOf(1, s).get(proj);
      NDArray b = w[1].duplicate();
      b.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.POSITIVE_INFINITY);
      policy.adapters().setWeights(1, proj, w[0], b);
    }
    Path dir = tmp.resolve("adapters");
    PolicyCheckpoint.save(policy, dir, "tiny");
    policy.close();
    policy = null;
    assertLoadFails(
        dir,
        "tool/adapter_model.safetensors",
        PeftAdapterFormat.loraB(proj),
        "expected finite values, found 0 NaN and 1 infinite");
    policy = PolicyCheckpoint.load(model, dir, PolicyTest.DETOK, NonFiniteWeights.ALLOW);
    assertThat(policy.adapters().configs()).hasSize(2);
  }

  @Test
  void adapterNamesCannotLeaveTheDirectory(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    Path dart = dir.resolve(PolicyCheckpoint.DART_FILE);
    edit(dart, n -> n.putArray("adapters").add("..").add("tool"));
    assertLoadFails(dir, "dart.json [adapters]", "expected adapter names matching", "\"..\"");
    edit(dart, n -> n.putArray("adapters").add("reasoning").add("../tool"));
    assertLoadFails(dir, "dart.json [adapters]", "\"../tool\"");
  }

  @Test
  void missingOrMalformedDartJsonSaysWhatWasExpected(@TempDir Path tmp) throws Exception {
    assertLoadFails(tmp.resolve("nope"), "dart.json", "the adapter directory does not exist");
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    Files.writeString(dir.resolve(PolicyCheckpoint.DART_FILE), "{\n  \"method\": \"DART\",\n");
    assertLoadFails(dir, "dart.json", "malformed JSON at line 3, column 1");
    Files.delete(dir.resolve(PolicyCheckpoint.DART_FILE));
    assertLoadFails(dir, "dart.json", "expected the dart.json written by PolicyCheckpoint.save");
  }

  @Test
  void adapterNamesThatEscapeTheCheckpointAreRejectedBeforeAnyRead(@TempDir Path tmp)
      throws Exception {
    Path dir = savedDart(tmp);
    policy.close();
    policy = null;
    // A complete adapter outside the checkpoint: it must never be read through dart.json.
    Files.createDirectories(tmp.resolve("outside"));
    Files.copy(
        dir.resolve("tool/" + PeftAdapterFormat.CONFIG_FILE),
        tmp.resolve("outside/" + PeftAdapterFormat.CONFIG_FILE));
    Path dart = dir.resolve(PolicyCheckpoint.DART_FILE);
    String original = Files.readString(dart);
    for (String evil : List.of("../outside", "..", ".", "/etc", "a/../../outside")) {
      Files.writeString(dart, original);
      edit(dart, n -> n.putArray("adapters").add("reasoning").add(evil));
      assertLoadFails(dir, "adapters", "plain directory names", "\"" + evil + "\"");
    }
  }

  @Test
  void failedSaveKeepsThePreviousDirectory(@TempDir Path tmp) throws Exception {
    Path dir = savedDart(tmp);
    byte[] before = Files.readAllBytes(dir.resolve("tool/adapter_model.safetensors"));
    try (Policy none = Policy.create(model, PolicyConfig.of(Method.NONE, 8), PolicyTest.DETOK)) {
      assertThatThrownBy(() -> PolicyCheckpoint.save(none, dir, "x"))
          .hasMessageContaining("no adapters");
    }
    assertThat(Files.readAllBytes(dir.resolve("tool/adapter_model.safetensors"))).isEqualTo(before);
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("adapters");
    }
  }
}
