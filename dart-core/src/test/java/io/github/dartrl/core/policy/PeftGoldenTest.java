package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Non-zero PEFT adapters written by the independent PyTorch oracle ({@code fixtures/README.md},
 * {@code tiny-qwen2-dart/}) load through {@link PolicyCheckpoint#load} and give the oracle's routed
 * log-probs. The two adapters differ in rank, alpha and targets and one uses rsLoRA, so a wrong
 * scale rule (alpha, alpha/r, alpha/sqrt(r) mixed up), a target applied or dropped wrongly, swapped
 * or off-by-one routing all miss the golden values by far more than the tolerance (the oracle
 * asserts each of these moves some log-prob by more than 1e-3; the smallest is in golden.json).
 */
class PeftGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOLERANCE = 1e-4;
  // the router is not used by a training forward over given roles; any decoder will do
  private static final Detokenizer DETOK = ids -> "";

  static NDManager root;
  static DecoderModel model;
  static JsonNode golden;

  @BeforeAll
  static void setUp() throws Exception {
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(fixture("tiny-qwen2"), root);
    golden = JSON.readTree(fixture("tiny-qwen2-dart").resolve("golden.json").toFile());
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(PeftGoldenTest.class.getResource("/fixtures/" + name).toURI());
  }

  static Path adapters() throws URISyntaxException {
    return fixture("tiny-qwen2-dart").resolve("adapters");
  }

  /** Both oracle sequences in one left-padded batch, with their roles. */
  static SequenceBatch batch() {
    List<long[]> ids = new ArrayList<>();
    List<int[]> roles = new ArrayList<>();
    for (int s = 0; s < golden.get("input_ids").size(); s++) {
      JsonNode idNode = golden.get("input_ids").get(s);
      JsonNode roleNode = golden.get("roles").get(s);
      long[] x = new long[idNode.size()];
      int[] r = new int[idNode.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = idNode.get(i).asLong();
        r[i] = TokenRole.valueOf(roleNode.get(i).asText()).code();
      }
      ids.add(x);
      roles.add(r);
    }
    return new SequenceBatch(ids, roles, 0);
  }

  /** Largest |log p - oracle| over every predicted token of both sequences. */
  static double maxDiff(Policy p, String method) {
    SequenceBatch batch = batch();
    float[] lp;
    try (NDManager scope = model.newScope()) {
      lp = p.logProbs(scope, batch, 1f).toFloatArray();
    }
    JsonNode want = golden.get("log_probs").get(method);
    double max = 0;
    int compared = 0;
    for (int s = 0; s < batch.batch(); s++) {
      int pad = batch.padding(s);
      JsonNode row = want.get(s);
      assertThat(row.size()).isEqualTo(batch.length(s) - 1);
      for (int j = 0; j < row.size(); j++) {
        float got = lp[s * batch.length() + pad + j];
        max = Math.max(max, Math.abs(got - row.get(j).asDouble()));
        compared++;
      }
    }
    assertThat(compared).isEqualTo(29);
    return max;
  }

  @Test
  void adapterConfigsAreReadAsTheOracleWroteThem() throws Exception {
    try (Policy p = PolicyCheckpoint.load(model, adapters(), DETOK)) {
      List<LoraConfig> configs = p.adapters().configs();
      assertThat(configs).hasSize(2);
      for (int i = 0; i < 2; i++) {
        JsonNode want = golden.get("adapters").get(i);
        LoraConfig c = configs.get(i);
        assertThat(c.name()).isEqualTo(want.get("name").asText());
        assertThat(c.rank()).isEqualTo(want.get("r").asInt());
        assertThat(c.rsLora()).isEqualTo(want.get("use_rslora").asBoolean());
        assertThat(c.scale()).isCloseTo(want.get("scale").asDouble(), within7());
        List<String> targets = new ArrayList<>();
        want.get("target_modules").forEach(t -> targets.add(t.asText()));
        assertThat(c.targetModules()).containsExactlyElementsOf(targets);
      }
      // the fixture is a real test of the scale rule: one adapter of each kind
      assertThat(configs.stream().map(LoraConfig::rsLora)).containsExactlyInAnyOrder(true, false);
      assertThat(configs.get(0).rank()).isNotEqualTo(configs.get(1).rank());
    }
  }

  private static org.assertj.core.data.Offset<Double> within7() {
    return org.assertj.core.data.Offset.offset(1e-6);
  }

  @Test
  void routedLogProbsMatchTheOracle() throws Exception {
    try (Policy p = PolicyCheckpoint.load(model, adapters(), DETOK)) {
      assertThat(p.method()).isEqualTo(Method.DART);
      assertThat(maxDiff(p, "DART")).as("DART max |Δ log p|").isLessThan(TOLERANCE);
    }
  }

  /** The single-adapter evaluations use the same weights with the other adapter replaced by W. */
  @ParameterizedTest
  @EnumSource(
      value = Method.class,
      names = {"DART_REASONING_ONLY", "DART_TOOL_ONLY"})
  void singleAdapterEvaluationsMatchTheOracle(Method method) throws Exception {
    try (Policy p = PolicyCheckpoint.load(model, adapters(), DETOK);
        Policy view = p.evaluatedAs(method)) {
      assertThat(maxDiff(view, method.name())).as(method + " max |Δ log p|").isLessThan(TOLERANCE);
    }
  }

  /** The KL reference (adapters off) is the oracle's bare backbone, and the adapters come back. */
  @Test
  void referenceIsTheBareBackbone() throws Exception {
    try (Policy p = PolicyCheckpoint.load(model, adapters(), DETOK)) {
      try (AutoCloseable off = p.reference()) {
        assertThat(maxDiff(p, "NONE")).as("reference max |Δ log p|").isLessThan(TOLERANCE);
      }
      assertThat(maxDiff(p, "DART")).isLessThan(TOLERANCE);
    }
  }
}
