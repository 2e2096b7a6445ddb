package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.io.SafetensorsFile;
import io.github.dartrl.core.io.SafetensorsWriter;
import io.github.dartrl.core.io.TensorInfo;
import io.github.dartrl.core.lora.PeftAdapterFormat;
import io.github.dartrl.core.lora.PeftWeights;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PEFT adapter spelt the way third-party tools write it ({@code lora_A.default.weight} keys, a
 * key without the {@code base_model.model.} prefix, one without {@code .weight}, an int {@code
 * lora_alpha}; fixture from {@code scripts/oracle/make_peft_fixture.py}) loads onto the tiny-qwen2
 * fixture and computes what the same weights compute when saved and loaded in dart4j's own format.
 */
class PeftImportTest {
  static final Detokenizer DETOK = ids -> "x".repeat(ids.length);
  static final long[] SEQ = {1, 17, 42, 5, 99, 23, 64, 8, 31, 77, 2, 50};
  static NDManager root;
  static DecoderModel model;

  @BeforeAll
  static void setUp() throws Exception {
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(fixture("tiny-qwen2"), root);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  static Path fixture(String name) throws Exception {
    return Path.of(PeftImportTest.class.getResource("/fixtures/" + name).toURI());
  }

  /** Log-probs of SEQ with every position in {@code role}. */
  static float[] logProbs(Policy p, TokenRole role) {
    int[] roles = new int[SEQ.length];
    Arrays.fill(roles, role.code());
    SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(roles), 0);
    try (NDManager s = model.newScope()) {
      return p.logProbs(s, batch, 1f).toFloatArray();
    }
  }

  static float[] bareLogProbs() {
    try (Policy bare = Policy.create(model, PolicyConfig.of(Method.NONE, 8), DETOK)) {
      return logProbs(bare, TokenRole.REASONING);
    }
  }

  @Test
  void thirdPartyPeftLoadsAndEqualsTheSameWeightsInDart4jFormat(@TempDir Path tmp)
      throws Exception {
    float[] bare = bareLogProbs();
    float[] peft;
    Path own = tmp.resolve("own");
    try (Policy p =
        PolicyCheckpoint.loadPeft(
            model, fixture("peft-default-keys"), PolicyConfig.lora(), DETOK)) {
      assertThat(p.config().rank()).isEqualTo(4);
      assertThat(p.config().alpha()).isEqualTo(8.0);
      assertThat(p.config().targetModules()).containsExactlyInAnyOrder("q_proj", "v_proj");
      peft = logProbs(p, TokenRole.REASONING);
      PolicyCheckpoint.save(p, own, "tiny-qwen2");
    }
    // the adapter is not a no-op: its weights were read
    float diff = 0;
    for (int i = 0; i < bare.length; i++) {
      diff = Math.max(diff, Math.abs(bare[i] - peft[i]));
    }
    assertThat(diff).isGreaterThan(1e-2f);
    try (Policy again = PolicyCheckpoint.load(model, own, DETOK)) {
      assertThat(logProbs(again, TokenRole.REASONING)).containsExactly(peft, within(1e-6f));
    }
  }

  @Test
  void dartStartsWithBothAdaptersEqualToThePeftAdapter() throws Exception {
    float[] lora;
    try (Policy p =
        PolicyCheckpoint.loadPeft(
            model, fixture("peft-default-keys"), PolicyConfig.lora(), DETOK)) {
      lora = logProbs(p, TokenRole.REASONING);
    }
    try (Policy dart =
        PolicyCheckpoint.loadPeft(
            model, fixture("peft-default-keys"), PolicyConfig.dart(), DETOK)) {
      assertThat(dart.method()).isEqualTo(Method.DART);
      assertThat(dart.adapters().configs())
          .extracting(c -> c.name())
          .containsExactly("reasoning", "tool");
      assertThat(logProbs(dart, TokenRole.REASONING)).containsExactly(lora, within(1e-6f));
      assertThat(logProbs(dart, TokenRole.TOOL)).containsExactly(lora, within(1e-6f));
    }
  }

  @Test
  void keySpellingsMapToPeftsCanonicalName() {
    String canonical = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    for (String k :
        List.of(
            canonical,
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight",
            "model.layers.0.self_attn.q_proj.lora_A.weight",
            "model.layers.0.self_attn.q_proj.lora_A.default",
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A")) {
      assertThat(PeftWeights.canonical(k)).as(k).isEqualTo(canonical);
    }
    assertThat(PeftWeights.canonical("base_model.model.model.layers.0.self_attn.q_proj.lora_B.x"))
        .endsWith("q_proj.lora_B.weight");
    assertThat(PeftWeights.canonical("model.layers.0.self_attn.q_proj.lora_magnitude_vector"))
        .isNull();
    assertThat(PeftWeights.canonical("lm_head.weight")).isNull();
  }

  @Test
  void unsupportedPeftFeaturesAreRefusedNamingTheField(@TempDir Path tmp) throws Exception {
    record Case(String field, java.util.function.Consumer<ObjectNode> edit) {}
    for (Case c :
        List.of(
            new Case("use_dora", n -> n.put("use_dora", true)),
            new Case("rank_pattern", n -> n.putObject("rank_pattern").put("q_proj", 8)),
            new Case("alpha_pattern", n -> n.putObject("alpha_pattern").put("q_proj", 8)),
            new Case("layers_to_transform", n -> n.putArray("layers_to_transform").add(0)),
            new Case("modules_to_save", n -> n.putArray("modules_to_save").add("lm_head")))) {
      Path dir = copyFixture(tmp.resolve(c.field()));
      PolicyCheckpointTest.edit(dir.resolve(PeftAdapterFormat.CONFIG_FILE), c.edit());
      int live = root.getManagedArrays().size();
      assertThatThrownBy(() -> PolicyCheckpoint.loadPeft(model, dir, PolicyConfig.lora(), DETOK))
          .as(c.field())
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(c.field());
      assertThat(root.getManagedArrays()).as(c.field()).hasSizeLessThanOrEqualTo(live);
    }
  }

  @Test
  void aMatrixStoredTwiceUnderTwoSpellingsOrANonLoraTensorIsRefused(@TempDir Path tmp)
      throws Exception {
    String twice = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
    String extra = "base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector";
    for (String added : List.of(twice, extra)) {
      Path dir = copyFixture(tmp.resolve(added.substring(added.lastIndexOf('.') + 1)));
      Path weights = dir.resolve(PeftAdapterFormat.WEIGHTS_FILE);
      try (NDManager m = root.newSubManager();
          SafetensorsFile f = SafetensorsFile.open(weights)) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (TensorInfo t : f.tensors()) {
          tensors.put(t.name(), f.load(t.name(), m));
        }
        tensors.put(
            added,
            f.load("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight", m));
        Files.delete(weights);
        SafetensorsWriter.write(weights, tensors, Map.of(), SafetensorsDType.F32);
      }
      assertThatThrownBy(() -> PolicyCheckpoint.loadPeft(model, dir, PolicyConfig.lora(), DETOK))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(added)
          .hasMessageContaining(added.equals(twice) ? "stored twice" : "not a LoRA matrix");
    }
  }

  @Test
  void dartJsonLoadOfAPlainPeftDirectoryPointsToLoadPeft() throws Exception {
    assertThatThrownBy(() -> PolicyCheckpoint.load(model, fixture("peft-default-keys"), DETOK))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("loadPeft");
    assertThat(PolicyCheckpoint.isPlainPeft(fixture("peft-default-keys"))).isTrue();
  }

  static Path copyFixture(Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(fixture("peft-default-keys"))) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }
}
