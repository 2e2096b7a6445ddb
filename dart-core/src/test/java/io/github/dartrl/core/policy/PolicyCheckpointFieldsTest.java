package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.lora.PeftAdapterFormat;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dart.json's version and base model, and the PEFT fields dart4j cannot honour, are checked instead
 * of silently accepted; alpha and the base model are written as PEFT writes them.
 */
class PolicyCheckpointFieldsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> WORDS = List.of("who", "is", "the", "answer");
  @TempDir static Path tmp;
  static NDManager root;
  static Path modelA;
  static Path modelB;
  static DecoderModel a;
  static DecoderModel b;
  static TextTokenizer tok;

  @BeforeAll
  static void setUp() {
    modelA = tmp.resolve("model-a");
    modelB = tmp.resolve("model-b");
    TinyModels.create(modelA, WORDS, TinyModels.Size.test(), 1);
    TinyModels.create(modelB, WORDS, TinyModels.Size.test(), 2); // same shapes, other weights
    root = NDManager.newBaseManager("PyTorch");
    a = HfCheckpoint.load(modelA, root);
    b = HfCheckpoint.load(modelB, root);
    tok = TextTokenizer.load(modelA);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    a.close();
    b.close();
    root.close();
  }

  static Path saved(String name) {
    Path dir = tmp.resolve(name);
    try (Policy p = Policy.create(a, PolicyConfig.dart(), tok)) {
      PolicyCheckpoint.save(p, dir);
    }
    return dir;
  }

  static void edit(Path file, Consumer<ObjectNode> change) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(file.toFile());
    change.accept(n);
    JSON.writeValue(file.toFile(), n);
  }

  @Test
  void baseModelIsTheDirectoryTheModelCameFrom() throws Exception {
    Path dir = saved("recorded");
    JsonNode dart = JSON.readTree(dir.resolve("dart.json").toFile());
    assertThat(dart.get("base_model").asText()).isEqualTo(modelA.toAbsolutePath().toString());
    JsonNode peft = JSON.readTree(dir.resolve("reasoning/adapter_config.json").toFile());
    assertThat(peft.get("base_model_name_or_path").asText())
        .isEqualTo(modelA.toAbsolutePath().toString());
  }

  @Test
  void adaptersOfAnotherBaseModelAreRefusedUnlessAllowed() {
    Path dir = saved("other-base");
    assertThatThrownBy(() -> PolicyCheckpoint.load(b, dir, tok))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("dart.json")
        .hasMessageContaining("base_model")
        .hasMessageContaining(modelA.toAbsolutePath().toString())
        .hasMessageContaining(modelB.toAbsolutePath().toString());
    assertThat(b.projections()).allMatch(p -> p.delta() == null);
    try (Policy p =
        PolicyCheckpoint.load(b, dir, tok, NonFiniteWeights.REJECT, BaseModelCheck.WARN)) {
      assertThat(p.method()).isEqualTo(Method.DART);
    }
    try (Policy p = PolicyCheckpoint.load(a, dir, tok)) {
      assertThat(p.method()).isEqualTo(Method.DART);
    }
  }

  @Test
  void aHubNameMatchesADirectoryOfTheSameName() throws Exception {
    Path dir = saved("hub-name");
    edit(dir.resolve("dart.json"), n -> n.put("base_model", "someorg/model-a"));
    try (Policy p = PolicyCheckpoint.load(a, dir, tok)) {
      assertThat(p.method()).isEqualTo(Method.DART);
    }
    edit(dir.resolve("dart.json"), n -> n.put("base_model", "someorg/Qwen2.5-3B"));
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .hasMessageContaining("someorg/Qwen2.5-3B");
  }

  @Test
  void anUnknownDartJsonVersionIsRefused() throws Exception {
    Path dir = saved("version");
    edit(dir.resolve("dart.json"), n -> n.put("version", 99));
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("dart.json [version]")
        .hasMessageContaining("unsupported dart.json version 99")
        .hasMessageContaining("reads versions 1 and 2");
  }

  @Test
  void badMethodAndIsolationSayWhatWasFound() throws Exception {
    Path dir = saved("messages");
    edit(dir.resolve("dart.json"), n -> n.put("isolation", "LOOSE"));
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .hasMessageContaining("isolation")
        .hasMessageContaining("found \"LOOSE\"");
    edit(dir.resolve("dart.json"), n -> n.put("method", "DARTS"));
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .hasMessageContaining("method")
        .hasMessageContaining("DART")
        .hasMessageContaining("unknown method \"DARTS\"");
  }

  @Test
  void integralAlphaIsWrittenAsAnIntAndBothFormsRead() throws Exception {
    LoraConfig c = new LoraConfig("x", 8, 16.0, false, Set.of("q_proj"));
    assertThat(PeftAdapterFormat.configJson(c, "m").get("lora_alpha").isInt()).isTrue();
    assertThat(PeftAdapterFormat.configJson(c, "m").get("lora_alpha").intValue()).isEqualTo(16);
    LoraConfig half = new LoraConfig("x", 8, 0.5, false, Set.of("q_proj"));
    assertThat(PeftAdapterFormat.configJson(half, "m").get("lora_alpha").doubleValue())
        .isEqualTo(0.5);

    Path dir = saved("alpha");
    Path cfg = dir.resolve("tool/adapter_config.json");
    assertThat(JSON.readTree(cfg.toFile()).get("lora_alpha").isInt()).isTrue();
    edit(cfg, n -> n.put("lora_alpha", 16.0));
    edit(dir.resolve("reasoning/adapter_config.json"), n -> n.put("lora_alpha", 16.0));
    try (Policy p = PolicyCheckpoint.load(a, dir, tok)) {
      assertThat(p.adapters().configs().get(1).alpha()).isEqualTo(16.0);
    }
  }

  @Test
  void peftFieldsThatChangeWhatIsAdaptedAreRefused() throws Exception {
    Path dir = saved("peft-fields");
    Path cfg = dir.resolve("tool/adapter_config.json");
    edit(cfg, n -> n.putArray("layers_to_transform").add(0));
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("adapter_config.json [layers_to_transform]")
        .hasMessageContaining("not supported");
    edit(
        cfg,
        n -> {
          n.putNull("layers_to_transform");
          n.putArray("modules_to_save").add("lm_head");
        });
    assertThatThrownBy(() -> PolicyCheckpoint.load(a, dir, tok))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("adapter_config.json [modules_to_save]")
        .hasMessageContaining("lm_head");
    edit(cfg, n -> n.putArray("modules_to_save"));
    try (Policy p = PolicyCheckpoint.load(a, dir, tok)) {
      assertThat(p.method()).isEqualTo(Method.DART); // empty lists mean "none", as in PEFT
    }
    assertThat(Files.exists(cfg)).isTrue();
  }
}
