package io.github.dartrl.grpo.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.model.Scalars;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.BatchOrder;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.optim.OptimizerStep;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import io.github.dartrl.grpo.metrics.ProgressReporter;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised warm-start of a {@link Policy} on demonstration trajectories: cross-entropy on the
 * REASONING and TOOL tokens only (PROMPT and OBSERVATION tokens are context, never targets),
 * token-mean over each batch, AdamW with warm-up and optional cosine decay, global-norm clipping.
 * Works for every trainable method: the adapters of DART/LoRA, or the whole backbone under FULL
 * (what a randomly initialised model needs).
 *
 * <p>One step is one explicit loop body: take the next batch of the epoch's seeded shuffle → split
 * it into micro-batches of similar length (less padding) → for each, {@code -Σ mask·log π / N} with
 * N the batch's trained tokens, backward into {@link Gradients} → skip the update if the loss or
 * gradient is not finite → clip → AdamW. The log-probs come from {@link Policy#logProbs}, so the
 * adapters are routed exactly as during rollouts.
 *
 * <p>Isolation is ignored: SFT runs one shared backward (a tool token's loss may reach θr through
 * attention, as under GRPO's {@code SHARED}).
 *
 * <pre>{@code
 * SftResult r = SftTrainer.builder().policy(full).config(SftConfig.builder().epochs(2).build())
 *     .padId(tok.padTokenId().orElse(0)).runDir(dir.resolve("sft")).build().fit(demos);
 * }</pre>
 */
public final class SftTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

  /** The roles that carry loss. */
  public static final Set<TokenRole> TRAINED_ROLES =
      EnumSet.of(TokenRole.REASONING, TokenRole.TOOL);

  private final Policy policy;
  private final SftConfig config;
  private final long padId;
  private final Path runDir;

  // AutoBuilder's build() calls this constructor; its parameters are the Builder's properties
  SftTrainer(Policy policy, SftConfig config, long padId, @Nullable Path runDir) {
    this.policy = policy;
    this.config = config;
    this.padId = padId;
    this.runDir = runDir;
    if (policy.trainableParameters().isEmpty()) {
      throw new IllegalArgumentException(policy.method() + " has nothing to train");
    }
  }

  /** A builder; pad id 0 and no run directory unless set. */
  public static Builder builder() {
    return new AutoBuilder_SftTrainer_Builder().padId(0);
  }

  public SftConfig config() {
    return config;
  }

  /**
   * Trains on {@code demonstrations} for {@code config.epochs()} epochs. With a run directory,
   * writes {@code metrics.jsonl} (replacing an earlier one) and {@code plots/loss.png} there.
   *
   * @return the loss curve and throughput
   * @throws IllegalArgumentException when there is no demonstration, or one holds a token id
   *     outside the model's vocabulary or is longer than its context
   */
  public SftResult fit(List<Demonstration> demonstrations) {
    check(demonstrations);
    int n = demonstrations.size();
    int total = config.totalSteps(n);
    LrSchedule schedule = config.optim().schedule(total);
    Map<String, NDArray> params = policy.trainableParameters();
    List<Double> losses = new ArrayList<>();
    List<StepMetrics> logged = new ArrayList<>();
    ProgressReporter progress =
        ProgressReporter.builder(total)
            .optEvery(config.logEvery())
            .optKeys(List.of("sft/loss", "sft/lr", "sft/tokens_per_s"))
            .build();
    long start = System.nanoTime();
    SftMetricsWindow window = new SftMetricsWindow(start);
    int step = 0;
    int skipped = 0;
    long tokens = 0;
    long trained = 0;
    try (NDManager state = policy.model().manager().newSubManager();
        AdamW optimizer = new AdamW(config.optimizer(), params, state);
        Gradients gradients = new Gradients(params, state);
        MetricsLog log = openLog()) {
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        int[] order = BatchOrder.shuffled(n, config.seed() * 1_000_003L + epoch);
        for (int from = 0; from < n; from += config.batchSize()) {
          int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + config.batchSize()));
          double lr = schedule.at(step);
          Batch b = new Batch();
          for (int r : rows) {
            b.trained += demonstrations.get(r).trainedTokens();
            b.tokens += demonstrations.get(r).length();
          }
          b.loss = backward(demonstrations, rows, gradients);
          OptimizerStep.Outcome o =
              OptimizerStep.apply(
                  gradients, optimizer, Double.isFinite(b.loss), config.maxGradNorm(), lr);
          boolean finite = o.applied();
          double norm = o.gradNorm();
          if (!finite) {
            skipped++;
            LOG.warn(
                "step {}: loss {}, gradient norm {}: update skipped, weights untouched",
                step + 1,
                b.loss,
                norm);
          }
          step++;
          tokens += b.tokens;
          trained += b.trained;
          losses.add(finite ? b.loss : Double.NaN);
          window.add(b.loss, b.tokens, b.trained, finite ? norm : Double.NaN);
          if (step % config.logEvery() == 0 || step == total) {
            double epochs = epoch + (double) Math.min(n, from + rows.length) / n;
            StepMetrics m = window.drain(step, lr, epochs, skipped);
            logged.add(m);
            if (log != null) {
              log.log(m);
            }
            progress.report(m);
          }
        }
      }
      if (log != null) {
        plot(log.steps());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write SFT metrics in " + runDir, e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new SftResult(step, losses, logged, skipped, tokens, trained, seconds);
  }

  /**
   * Mean cross-entropy per trained token of {@code demonstrations} under the current weights (no
   * gradient), in micro-batches.
   */
  public double loss(List<Demonstration> demonstrations) {
    check(demonstrations);
    int[] rows = new int[demonstrations.size()];
    Arrays.setAll(rows, i -> i);
    double sum = 0;
    long count = 0;
    for (int[] micro : microBatches(demonstrations, rows)) {
      SequenceBatch batch = batchOf(demonstrations, micro);
      float[] mask = batch.lossMask(TRAINED_ROLES);
      try (GradMode off = GradMode.disabled();
          NDManager scope = policy.model().newScope()) {
        float[] lp = policy.logProbs(scope, batch, 1f).toFloatArray();
        for (int i = 0; i < mask.length; i++) {
          if (mask[i] > 0) {
            sum -= lp[i];
            count++;
          }
        }
      }
    }
    return sum / count;
  }

  /**
   * Adds the gradient of the batch {@code rows} (token mean over its trained tokens, accumulated
   * over micro-batches) to {@code gradients}; returns the batch's loss.
   */
  double backward(List<Demonstration> demos, int[] rows, Gradients gradients) {
    long trained = 0;
    for (int r : rows) {
      trained += demos.get(r).trainedTokens();
    }
    final float denominator = trained;
    double loss = 0;
    for (int[] micro : microBatches(demos, rows)) {
      SequenceBatch batch = batchOf(demos, micro);
      float[] mask = batch.lossMask(TRAINED_ROLES);
      try (NDManager scope = policy.model().newScope()) {
        loss +=
            gradients.backward(
                () -> {
                  NDArray lp = policy.logProbs(scope, batch, 1f); // [B, L]
                  NDArray m = scope.create(mask, new Shape(batch.batch(), batch.length()));
                  return Scalars.div(lp.mul(m).sum().neg(), denominator);
                });
      }
    }
    return loss;
  }

  /** Rows sorted by length, cut into micro-batches, so each pads little. */
  private List<int[]> microBatches(List<Demonstration> demos, int[] rows) {
    int[] sorted =
        Arrays.stream(rows)
            .boxed()
            .sorted(Comparator.comparingInt(i -> -demos.get(i).length()))
            .mapToInt(Integer::intValue)
            .toArray();
    return BatchOrder.chunks(sorted, config.microBatchSize());
  }

  private SequenceBatch batchOf(List<Demonstration> demos, int[] rows) {
    List<long[]> ids = new ArrayList<>();
    List<int[]> roles = new ArrayList<>();
    for (int r : rows) {
      ids.add(demos.get(r).tokens());
      roles.add(demos.get(r).roles());
    }
    return new SequenceBatch(ids, roles, padId);
  }

  private void check(List<Demonstration> demos) {
    Objects.requireNonNull(demos, "demonstrations");
    if (demos.isEmpty()) {
      throw new IllegalArgumentException("no demonstrations to train on");
    }
    ModelConfig mc = policy.model().config();
    for (int i = 0; i < demos.size(); i++) {
      Demonstration d = demos.get(i);
      if (d.length() > mc.maxPositions()) {
        throw new IllegalArgumentException(
            "demonstration "
                + i
                + " has "
                + d.length()
                + " tokens > max_position_embeddings "
                + mc.maxPositions());
      }
      for (long id : d.tokens()) {
        if (id < 0 || id >= mc.vocabSize()) {
          throw new IllegalArgumentException(
              "demonstration "
                  + i
                  + " holds token id "
                  + id
                  + " outside [0, "
                  + mc.vocabSize()
                  + ")");
        }
      }
    }
  }

  private MetricsLog openLog() throws IOException {
    if (runDir == null) {
      return null;
    }
    MetricsLog log = MetricsLog.open(runDir);
    log.dropAfter(0);
    return log;
  }

  private void plot(List<StepMetrics> steps) {
    if (steps.isEmpty() || !Charting.available()) {
      return; // JFreeChart is optional: without it SFT runs unplotted
    }
    try {
      Path plots = runDir.resolve("plots");
      Files.createDirectories(plots);
      MetricsPlot.plot(plots.resolve("loss.png"), "SFT loss", steps, List.of("sft/loss"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write the SFT loss plot: {}", e.getMessage());
    }
  }

  /** One batch's loss and sizes. */
  private static final class Batch {
    double loss;
    long tokens;
    long trained;
  }

  /**
   * Builder of an {@link SftTrainer} (generated); policy and config are required (build throws
   * {@link IllegalStateException} naming a missing one).
   */
  @AutoBuilder
  public interface Builder {
    /** The policy whose trainable parameters are fitted. */
    Builder policy(Policy v);

    /** How the warm-start runs. */
    Builder config(SftConfig v);

    /** Id placed in padding slots (any valid id; never attended to). Default 0. */
    Builder padId(long v);

    /** Where to write {@code metrics.jsonl} and {@code plots/loss.png}; none if unset. */
    Builder runDir(@Nullable Path v);

    /** The trainer; refuses a policy with nothing to train. */
    SftTrainer build();
  }
}
