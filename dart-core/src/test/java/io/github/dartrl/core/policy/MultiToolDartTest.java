package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.Detokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DART with one adapter per tool: role codes, the role → adapter map, and dart.json version 2. */
class MultiToolDartTest {
  static final String[] PIECES = {"<a>", "</a>", "<b>", "</b>", " x", " y", " z", "."};
  static final Detokenizer DETOK =
      ids -> Arrays.stream(ids).mapToObj(i -> PIECES[(int) i]).collect(Collectors.joining());
  static final List<ToolSpan> SPANS =
      List.of(new ToolSpan("<a>", "</a>"), new ToolSpan("<b>", "</b>"));

  /** prompt x; reasoning y <a>; tool a: x z </a>; reasoning y <b>; tool b: z </b>; reasoning . */
  static final long[] SEQ = {4, 5, 0, 4, 6, 1, 5, 2, 6, 3, 7};

  static NDManager root;
  static DecoderModel model;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, PIECES.length, 11);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  static PolicyConfig threeAdapters() {
    return PolicyConfig.of(Method.DART, 4).withSpans(SPANS);
  }

  @Test
  void toolCodesKeepTheOldMeaningAndMapToTheCoarseToolRole() {
    assertThat(TokenRole.toolCode(0)).isEqualTo(TokenRole.TOOL.code()).isEqualTo(2);
    assertThat(TokenRole.toolCode(1)).isEqualTo(4);
    assertThat(TokenRole.toolCode(2)).isEqualTo(5);
    assertThat(TokenRole.toolIndex(2)).isZero();
    assertThat(TokenRole.toolIndex(4)).isEqualTo(1);
    assertThat(TokenRole.toolIndex(TokenRole.OBSERVATION.code())).isEqualTo(-1);
    assertThat(TokenRole.toolIndex(TokenRole.REASONING.code())).isEqualTo(-1);
    assertThat(TokenRole.ofCode(4)).isEqualTo(TokenRole.TOOL);
    assertThat(TokenRole.ofCode(5).isSampled()).isTrue();
    assertThatThrownBy(() -> TokenRole.ofCode(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRouterGivesEachToolsSpanItsOwnCode() {
    try (Policy p = Policy.create(model, threeAdapters(), DETOK)) {
      int[] codes = p.router().roleCodes(Arrays.copyOfRange(SEQ, 1, SEQ.length));
      // y <a> | x z </a> | y <b> | z </b> | .
      assertThat(codes).containsExactly(1, 1, 2, 2, 2, 1, 1, 4, 4, 1);
      TokenRole[] coarse = p.router().roles(Arrays.copyOfRange(SEQ, 1, SEQ.length));
      for (int i = 0; i < codes.length; i++) {
        assertThat(coarse[i]).isEqualTo(TokenRole.ofCode(codes[i]));
      }
    }
  }

  @Test
  void dartHasOneAdapterPerToolOrOnePerGroup() {
    PolicyConfig c = threeAdapters();
    assertThat(c.adapterCount()).isEqualTo(3);
    assertThat(c.adapterConfigs())
        .extracting(LoraConfig::name)
        .containsExactly("reasoning", "a", "b");
    RoleAdapterMap m = c.roleMap();
    assertThat(m.adapterForCode(TokenRole.REASONING.code())).isZero();
    assertThat(m.adapterForCode(TokenRole.PROMPT.code())).isZero();
    assertThat(m.adapterForCode(TokenRole.toolCode(0))).isEqualTo(1);
    assertThat(m.adapterForCode(TokenRole.toolCode(1))).isEqualTo(2);
    assertThatThrownBy(() -> m.adapterForCode(TokenRole.toolCode(2)))
        .hasMessageContaining("routes 2 tools");
    // the single-capability evaluations follow from the same map
    RoleAdapterMap toolOnly = c.withMethod(Method.DART_TOOL_ONLY).roleMap();
    assertThat(toolOnly.adapterForCode(1)).isEqualTo(-1);
    assertThat(toolOnly.adapterForCode(4)).isEqualTo(2);
    RoleAdapterMap reasOnly = c.withMethod(Method.DART_REASONING_ONLY).roleMap();
    assertThat(reasOnly.adapterForCode(1)).isZero();
    assertThat(reasOnly.adapterForCode(2)).isEqualTo(-1);
    assertThat(reasOnly.adapterForCode(4)).isEqualTo(-1);
    assertThat(m.onlyAdapter(2).adapterAt(new int[] {0, 1, 2, 4, 1}))
        .containsExactly(-1, -1, 2, -1, -1);

    PolicyConfig shared = c.withToolAdapters(List.of(0, 0));
    assertThat(shared.adapterCount()).isEqualTo(2);
    assertThat(shared.adapterConfigs())
        .extracting(LoraConfig::name)
        .containsExactly("reasoning", "tool");
    assertThat(shared.roleMap().adapterForCode(4)).isEqualTo(1);
    // one tool: the map of the two-adapter DART, as before
    assertThat(PolicyConfig.dart().roleMap()).isEqualTo(Method.DART.roleMap());
    assertThat(PolicyConfig.dart().adapterConfigs())
        .extracting(LoraConfig::name)
        .containsExactly("reasoning", "tool");
    assertThatThrownBy(() -> c.withToolAdapters(List.of(0, 2)))
        .hasMessageContaining("none skipped");
  }

  @Test
  void threeAdaptersSaveAsPlainPeftDirectoriesAndReloadIdentically(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("adapters");
    float[] before;
    int[] roles = rolesOf(SEQ);
    try (Policy p = Policy.create(model, threeAdapters(), DETOK)) {
      PolicyTest.randomizeB(p.adapters(), 4);
      before = logProbs(p, roles);
      PolicyCheckpoint.save(p, dir, "tiny");
      // every tool adapter changes the log-probs of its own positions only
      float[] noB;
      try (Policy onlyA = p.onlyAdapter(1)) {
        noB = logProbs(onlyA, roles);
      }
      assertThat(noB).isNotEqualTo(before);
    }
    var json = new ObjectMapper().readTree(dir.resolve("dart.json").toFile());
    assertThat(json.get("version").asInt()).isEqualTo(2);
    assertThat(json.get("tools")).hasSize(2);
    assertThat(json.get("tools").get(1).get("role_code").asInt()).isEqualTo(4);
    assertThat(json.get("tools").get(1).get("adapter").asInt()).isEqualTo(2);
    for (String a : List.of("reasoning", "a", "b")) {
      assertThat(dir.resolve(a).resolve("adapter_config.json")).isRegularFile();
      assertThat(dir.resolve(a).resolve("adapter_model.safetensors")).isRegularFile();
    }
    try (Policy q =
        PolicyCheckpoint.load(
            model,
            dir,
            DETOK,
            io.github.dartrl.core.io.NonFiniteWeights.REJECT,
            BaseModelCheck.WARN)) {
      assertThat(q.adapters().configs()).hasSize(3);
      assertThat(logProbs(q, roles)).containsExactly(before);
    }
    // a file that routes tool b to another adapter than its own record says is refused
    ObjectNode n = (ObjectNode) new ObjectMapper().readTree(dir.resolve("dart.json").toFile());
    ((ObjectNode) n.get("tools").get(1)).put("role_code", 2);
    new ObjectMapper().writeValue(dir.resolve("dart.json").toFile(), n);
    assertThatThrownBy(
            () ->
                PolicyCheckpoint.load(
                    model,
                    dir,
                    DETOK,
                    io.github.dartrl.core.io.NonFiniteWeights.REJECT,
                    BaseModelCheck.WARN))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tools[1].role_code");
    assertThat(Files.exists(dir)).isTrue();
  }

  static int[] rolesOf(long[] seq) {
    int[] roles = new int[seq.length];
    roles[0] = TokenRole.PROMPT.code();
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.NONE, 4).withSpans(SPANS), DETOK)) {
      int[] c = p.router().roleCodes(Arrays.copyOfRange(seq, 1, seq.length));
      System.arraycopy(c, 0, roles, 1, c.length);
    }
    return roles;
  }

  static float[] logProbs(Policy p, int[] roles) {
    try (GradMode off = GradMode.disabled();
        NDManager s = model.newScope()) {
      return p.logProbs(s, new SequenceBatch(List.of(SEQ), List.of(roles), 0), 1f).toFloatArray();
    }
  }
}
