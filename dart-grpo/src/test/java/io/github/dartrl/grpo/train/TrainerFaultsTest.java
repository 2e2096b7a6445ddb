package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.train.TinyRun.ScriptedRetriever;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runtime faults during training: retriever failures, non-finite rewards, a full disk. */
class TrainerFaultsTest extends TinyRunBase {

  static Path ckpt(Path run, int step) {
    return TrainerCheckpoint.dirFor(run, step);
  }

  static final Map<GrpoConfig, Map<String, byte[]>> STRAIGHT = new java.util.HashMap<>();

  /**
   * Trains {@code cfg} from scratch without faults and returns the weight files of its last
   * checkpoint (computed once per config).
   */
  Map<String, byte[]> straightRun(GrpoConfig cfg, Path run) throws Exception {
    Map<String, byte[]> known = STRAIGHT.get(cfg);
    if (known != null) {
      return known;
    }
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = TinyRun.trainer(p, tok, cfg, run, new ScriptedRetriever()).build()) {
      t.fit();
    }
    Map<String, byte[]> w = TinyRun.weights(ckpt(run, cfg.totalSteps()));
    STRAIGHT.put(cfg, w);
    return w;
  }

  @Test
  void retriedRetrieverCallsChangeNothing(@TempDir Path clean, @TempDir Path flaky)
      throws Exception {
    GrpoConfig cfg = TinyRun.config().totalSteps(3).build();
    Map<String, byte[]> expected = straightRun(cfg, clean);
    ScriptedRetriever r = new ScriptedRetriever();
    r.failOnCall = call -> call == 2 || call == 3 || call == 5; // call 2 needs two retries
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, cfg, flaky, r)
                .onRetrieverFailure(RetrieverFailurePolicy.stop(2, Duration.ofMillis(1)))
                .build()) {
      TrainResult result = t.fit();
      StepMetrics last = result.history().get(2);
      assertThat(last.value("faults/retriever_retries")).isEqualTo(3);
      assertThat(last.value("faults/skipped_batches")).isZero();
    }
    assertThat(TinyRun.weights(ckpt(flaky, 3))).containsExactlyEntriesOf(expected);
  }

  @Test
  void skipBatchPolicySkipsTheStepAndTrainingGoesOn(@TempDir Path run) throws Exception {
    // the retriever goes down after step 1 and comes back once a batch has been given up on (not
    // every step searches, so which step that is depends on the rollouts)
    ScriptedRetriever r = new ScriptedRetriever();
    AtomicBoolean down = new AtomicBoolean();
    r.failOnCall = call -> down.get();
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, TinyRun.config().totalSteps(5).build(), run, r)
                .onRetrieverFailure(RetrieverFailurePolicy.skipBatch(1, Duration.ZERO, 1))
                .listener(
                    new TrainerListener() {
                      @Override
                      public void onStep(StepMetrics m) {
                        down.set(
                            m.step() == 1 || down.get() && m.value("faults/batch_skipped") == 0);
                      }
                    })
                .build()) {
      TrainResult result = t.fit();
      assertThat(result.steps()).isEqualTo(5);
      List<StepMetrics> h = result.history();
      List<StepMetrics> lost =
          h.stream().filter(m -> m.value("faults/batch_skipped") == 1).toList();
      assertThat(lost).hasSize(1);
      int k = lost.get(0).step();
      assertThat(k).isBetween(2, 4);
      assertThat(lost.get(0).value("faults/retriever_retries")).isEqualTo(1);
      assertThat(lost.get(0).value("reward/mean")).isNaN(); // nothing was rolled out
      assertThat(h.get(4).value("faults/skipped_batches")).isEqualTo(1);
      assertThat(h.get(k).value("actor/grad_norm")).isPositive(); // the next step trained again
      // the skipped step left adapters and optimizer exactly as they were; the next one moved them
      assertThat(TinyRun.weights(ckpt(run, k)))
          .containsExactlyEntriesOf(TinyRun.weights(ckpt(run, k - 1)));
      assertThat(TinyRun.weights(ckpt(run, k + 1)).get("policy/optimizer.safetensors"))
          .isNotEqualTo(TinyRun.weights(ckpt(run, k)).get("policy/optimizer.safetensors"));
    }
    String state = Files.readString(ckpt(run, 5).resolve(TrainerCheckpoint.STATE_FILE));
    assertThat(state).contains("\"skipped_batches\" : 1");
  }

  @Test
  void aRetrieverThatStaysDownStopsSkippingAfterTheBound(@TempDir Path run) throws Exception {
    ScriptedRetriever r = new ScriptedRetriever();
    r.failOnCall = call -> true;
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, TinyRun.config().totalSteps(12).build(), run, r)
                .onRetrieverFailure(RetrieverFailurePolicy.skipBatch(0, Duration.ZERO, 2))
                .build()) {
      assertThatThrownBy(t::fit)
          .isInstanceOf(TrainingHaltedException.class)
          .hasMessageContaining("3 batches in a row")
          .hasMessageContaining("after 1 attempt:")
          .hasRootCauseInstanceOf(RetrieverException.class)
          .satisfies(
              e -> {
                TrainingHaltedException h = (TrainingHaltedException) e;
                assertThat(h.lastCheckpoint()).contains(ckpt(run, h.step() - 1));
              });
    }
    // the two steps before the failing one were skipped
    List<StepMetrics> h =
        io.github.dartrl.grpo.metrics.MetricsLog.read(run.resolve("metrics.jsonl"));
    assertThat(h.subList(h.size() - 2, h.size()))
        .extracting(m -> m.value("faults/batch_skipped"))
        .containsExactly(1.0, 1.0);
  }

  @Test
  void stopPolicyStopsAfterTheRetriesAndKeepsTheCheckpoint(@TempDir Path run) throws Exception {
    ScriptedRetriever r = new ScriptedRetriever();
    AtomicInteger completed = new AtomicInteger();
    r.failOnCall = call -> completed.get() >= 2;
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, TinyRun.config().totalSteps(4).build(), run, r)
                .onRetrieverFailure(RetrieverFailurePolicy.stop(2, Duration.ZERO))
                .listener(
                    new TrainerListener() {
                      @Override
                      public void onCheckpoint(int step, Path dir) {
                        completed.set(step);
                      }
                    })
                .build()) {
      assertThatThrownBy(t::fit)
          .isInstanceOf(TrainingHaltedException.class)
          .hasMessageContaining("training stopped at step 3: the retriever failed")
          .hasMessageContaining("after 3 attempts")
          .hasMessageContaining("127.0.0.1:9")
          .hasMessageContaining(ckpt(run, 2) + " is intact");
    }
    assertThat(Trainer.latestCheckpoint(run)).contains(ckpt(run, 2));
    TrainerCheckpoint.verify(ckpt(run, 2));
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY})
  void aNonFiniteGradientSkipsTheUpdateAndLeavesAdaptersAndMomentsUntouched(
      float poison, @TempDir Path run) throws Exception {
    AtomicInteger completed = new AtomicInteger();
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(
                    p, tok, TinyRun.config().totalSteps(3).build(), run, new ScriptedRetriever())
                .afterBackward(
                    g -> {
                      if (completed.get() == 1) { // poison one element of one gradient in step 2
                        NDArray buf = g.get(g.parameters().keySet().iterator().next());
                        buf.set(new NDIndex("0, 0"), poison);
                      }
                    })
                .listener(
                    new TrainerListener() {
                      @Override
                      public void onStep(StepMetrics m) {
                        completed.set(m.step());
                      }
                    })
                .build()) {
      List<StepMetrics> h = t.fit().history();
      assertThat(h)
          .extracting(s -> s.value("actor/skipped_updates"))
          .containsExactly(0.0, 1.0, 0.0);
      assertThat(h)
          .extracting(s -> s.value("faults/nonfinite_skipped_updates"))
          .containsExactly(0.0, 1.0, 1.0);
      assertThat(h.get(1).value("actor/pg_loss")).isFinite(); // the loss was fine, a gradient not
    }
    // LoRA A/B of both adapters and the AdamW moments and step count are bit-identical
    assertThat(TinyRun.weights(ckpt(run, 2)))
        .containsExactlyEntriesOf(TinyRun.weights(ckpt(run, 1)));
    assertThat(TinyRun.weights(ckpt(run, 3)).get("policy/optimizer.safetensors"))
        .isNotEqualTo(TinyRun.weights(ckpt(run, 2)).get("policy/optimizer.safetensors"));
    assertThat(Files.readString(ckpt(run, 3).resolve(TrainerCheckpoint.STATE_FILE)))
        .contains("\"skipped_updates\" : 1");
  }

  @Test
  void aFullDiskStopsWithAClearErrorAndTheRunResumesExactly(@TempDir Path run, @TempDir Path clean)
      throws Exception {
    GrpoConfig cfg = TinyRun.config().totalSteps(3).build();
    System.setProperty(CheckpointFaults.FAIL, "step-000002");
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = TinyRun.trainer(p, tok, cfg, run, new ScriptedRetriever()).build()) {
      assertThatThrownBy(t::fit)
          .isInstanceOf(TrainingHaltedException.class)
          .hasMessageContaining("cannot save checkpoint " + ckpt(run, 2).toAbsolutePath())
          .hasMessageContaining("No space left on device")
          .hasMessageContaining(ckpt(run, 1) + " is intact");
    } finally {
      System.clearProperty(CheckpointFaults.FAIL);
    }
    // no partial directory is left, so nothing but step 1 can be taken for a checkpoint
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      assertThat(s.map(x -> x.getFileName().toString())).containsExactly("step-000001");
    }
    TrainerCheckpoint.verify(ckpt(run, 1));
    Map<String, byte[]> step1 = TinyRun.files(ckpt(run, 1));
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, cfg, run, new ScriptedRetriever()).resume(true).build()) {
      assertThat(t.fit().history()).hasSize(3);
    }
    assertThat(TinyRun.files(ckpt(run, 1))).containsExactlyEntriesOf(step1);
    assertThat(TinyRun.weights(ckpt(run, 3))).containsExactlyEntriesOf(straightRun(cfg, clean));
  }

  @Test
  void aDamagedCheckpointIsRefusedNamingTheFile(@TempDir Path run) throws Exception {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(
                    p, tok, TinyRun.config().totalSteps(1).build(), run, new ScriptedRetriever())
                .build()) {
      t.fit();
    }
    Path opt = ckpt(run, 1).resolve("policy/optimizer.safetensors");
    byte[] b = Files.readAllBytes(opt);
    b[b.length - 1] ^= 1;
    Files.write(opt, b);
    assertThatThrownBy(() -> TrainerCheckpoint.verify(ckpt(run, 1)))
        .hasMessageContaining("optimizer.safetensors does not match its SHA-256");
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(
                    p, tok, TinyRun.config().totalSteps(2).build(), run, new ScriptedRetriever())
                .resume(true)
                .build()) {
      assertThatThrownBy(t::fit).hasMessageContaining("optimizer.safetensors");
    }
  }
}
