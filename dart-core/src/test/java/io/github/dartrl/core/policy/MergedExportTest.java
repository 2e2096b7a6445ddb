package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.routing.TokenRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merged model computes what the policy computes with that adapter: exactly (≤ 1e-4) for LoRA,
 * and for DART on sequences whose positions all route to the merged role.
 */
class MergedExportTest {
  static final long[] SEQ = PeftImportTest.SEQ;
  static NDManager root;
  static DecoderModel model;

  @BeforeAll
  static void setUp() throws Exception {
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(PeftImportTest.fixture("tiny-qwen2"), root);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  /** Log-probs of SEQ's tokens 1..n-1 (the last slot has no target and is dropped). */
  static float[] logProbs(Policy p, DecoderModel m, int[] roles) {
    SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(roles), 0);
    try (NDManager s = m.newScope()) {
      return Arrays.copyOf(p.logProbs(s, batch, 1f).toFloatArray(), SEQ.length - 1);
    }
  }

  static int[] all(TokenRole role) {
    int[] roles = new int[SEQ.length];
    Arrays.fill(roles, role.code());
    return roles;
  }

  /** Log-probs of the merged model directory (bare backbone, no adapters). */
  static float[] mergedLogProbs(Path dir) {
    try (NDManager r = NDManager.newBaseManager("PyTorch");
        DecoderModel merged = HfCheckpoint.load(dir, r);
        Policy bare =
            Policy.create(merged, PolicyConfig.of(Method.NONE, 8), PeftImportTest.DETOK)) {
      return logProbs(bare, merged, all(TokenRole.REASONING));
    }
  }

  @Test
  void mergedLoraEqualsTheAdapterModelAndIsAStandardHfDirectory(@TempDir Path tmp)
      throws Exception {
    Path base = PeftImportTest.fixture("tiny-qwen2");
    Path out = tmp.resolve("merged");
    float[] withAdapter;
    float[] bare;
    try (Policy p =
        PolicyCheckpoint.loadPeft(
            model,
            PeftImportTest.fixture("peft-default-keys"),
            PolicyConfig.lora(),
            PeftImportTest.DETOK)) {
      withAdapter = logProbs(p, model, all(TokenRole.REASONING));
      MergedExport.write(p, 0, out, base, SafetensorsDType.F32);
      try (AutoCloseable off = p.adapters().disabled()) {
        bare = logProbs(p, model, all(TokenRole.REASONING));
      }
    }
    assertThat(mergedLogProbs(out)).containsExactly(withAdapter, within(1e-4f));
    assertThat(maxDiff(bare, withAdapter)).isGreaterThan(1e-2f);
    assertThat(out.resolve("config.json")).exists();
    assertThat(out.resolve("model.safetensors")).exists();
    assertThat(out.resolve("golden.json")).exists(); // a non-weight file of the base, copied
    try (var files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".") || n.startsWith("adapter"));
    }
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("merged");
    }
  }

  @Test
  void mergedDartRoleEqualsDartWhereEveryPositionRoutesToIt(@TempDir Path tmp) {
    try (Policy dart = Policy.create(model, PolicyConfig.dart(), PeftImportTest.DETOK)) {
      PolicyTest.randomizeB(dart.adapters(), 11);
      for (TokenRole role : List.of(TokenRole.REASONING, TokenRole.TOOL)) {
        Path out = tmp.resolve(role.name());
        MergedExport.write(
            dart, MergedExport.adapterFor(dart, role), out, null, SafetensorsDType.F32);
        float[] merged = mergedLogProbs(out);
        assertThat(merged)
            .as(role.name())
            .containsExactly(logProbs(dart, model, all(role)), within(1e-4f));
      }
      // a sequence that switches roles is only approximated by either merged model
      int[] mixed = all(TokenRole.REASONING);
      for (int i = 4; i < 8; i++) {
        mixed[i] = TokenRole.TOOL.code();
      }
      float[] routed = logProbs(dart, model, mixed);
      assertThat(maxDiff(mergedLogProbs(tmp.resolve("REASONING")), routed)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void refusesANonEmptyOutputAndAMethodWithoutAdapters(@TempDir Path tmp) throws Exception {
    Path out = Files.createDirectories(tmp.resolve("taken"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    try (Policy p = Policy.create(model, PolicyConfig.lora(), PeftImportTest.DETOK)) {
      assertThatThrownBy(() -> MergedExport.write(p, 0, out, null, SafetensorsDType.F32))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not empty");
      assertThatThrownBy(
              () -> MergedExport.write(p, 1, tmp.resolve("x"), null, SafetensorsDType.F32))
          .hasMessageContaining("out of range");
    }
    assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
    try (Policy p =
        Policy.create(model, PolicyConfig.of(Method.DART_TOOL_ONLY, 8), PeftImportTest.DETOK)) {
      assertThatThrownBy(() -> MergedExport.adapterFor(p, TokenRole.REASONING))
          .hasMessageContaining("no adapter on REASONING");
    }
  }

  static float maxDiff(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
