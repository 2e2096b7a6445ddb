package io.github.dartrl.examples.interference;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.Evaluation;
import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the three CEA variants from the warm-started Base with GRPO, as the paper defines them:
 * one single LoRA adapter each, identical data order, seed, steps and hyperparameters, differing
 * only in which sampled tokens carry the loss ({@link GrpoConfig#trainRoles()}): Unified = all,
 * Reas = REASONING, Tool = TOOL. Each is evaluated greedily and saved as an adapter directory.
 *
 * <p>With a time budget, Unified (trained first) stops early when the three runs would not fit, and
 * Reas and Tool then run exactly as many steps (with the same learning-rate schedule, that of the
 * configured total, so the three stay identical except for the mask).
 */
final class VariantTraining {
  private static final Logger LOG = LoggerFactory.getLogger(VariantTraining.class);

  /** Unified first: it sets the step count the other two repeat. */
  static final List<String> ORDER = List.of("Unified", "Reas", "Tool");

  private VariantTraining() {}

  static Set<TokenRole> roles(String variant) {
    return switch (variant) {
      case "Unified" -> EnumSet.of(TokenRole.REASONING, TokenRole.TOOL);
      case "Reas" -> EnumSet.of(TokenRole.REASONING);
      case "Tool" -> EnumSet.of(TokenRole.TOOL);
      default -> throw new IllegalArgumentException("not a trained CEA variant: " + variant);
    };
  }

  /**
   * The Base model's greedy evaluation and the three trained variants.
   *
   * @param base greedy EM of Base on the attribution questions
   * @param variants Unified, Reas, Tool
   */
  record Trained(EvalResult base, List<VariantRun> variants) {}

  /**
   * Evaluates Base, then trains and evaluates every variant.
   *
   * @param grpoSeconds wall time the three trainings may take together (infinite = no limit)
   */
  static Trained trainAll(
      InterferenceConfig c,
      WarmStart warm,
      Retriever retriever,
      QaDataset train,
      QaDataset eval,
      Path out,
      Phases phases,
      double grpoSeconds)
      throws IOException {
    List<VariantRun> runs = new ArrayList<>();
    EvalResult base = null;
    int steps = c.grpo().totalSteps();
    for (String name : ORDER) {
      phases.start("grpo " + name);
      long t0 = System.nanoTime();
      GrpoConfig g = c.grpo().toBuilder().trainRoles(roles(name)).build();
      Path runDir = out.resolve("grpo-" + name.toLowerCase(Locale.ROOT));
      Path adapters = out.resolve("variants").resolve(name.toLowerCase(Locale.ROOT));
      EvalResult greedy;
      try (NDManager root = JobDevice.newRoot();
          DecoderModel model = HfCheckpoint.load(warm.warmModel(), root);
          TextTokenizer tok = TextTokenizer.load(warm.warmModel());
          Policy policy = Policy.create(model, c.variantPolicy(), tok);
          Trainer trainer = trainer(c, g, policy, tok, retriever, train, runDir)) {
        if (runs.isEmpty()) {
          // a fresh adapter has B = 0, so before training this policy is exactly Base
          base = Evaluation.run(trainer, eval, "Base");
          LOG.info("Base greedy EM {}", String.format("%.3f", base.exactMatch()));
          steps = trainWithinBudget(trainer, g.totalSteps(), grpoSeconds, phases);
        } else {
          trainer.fitUntil(steps);
        }
        greedy = Evaluation.run(trainer, eval, name);
        PolicyCheckpoint.save(policy, adapters, warm.warmModel().toAbsolutePath().toString());
      }
      var history = MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME));
      VariantRun run =
          new VariantRun(
              name,
              g.trainRoles(),
              adapters,
              runDir,
              steps,
              history,
              greedy,
              (System.nanoTime() - t0) / 1e9);
      runs.add(run);
      phases.done(
          String.format(
              Locale.ROOT,
              "%d steps, reward (last 5) %.3f, frac_reward_zero_std %.2f, greedy EM %.3f",
              steps,
              run.lastMean("reward/mean", 5),
              run.mean("frac_reward_zero_std"),
              greedy.exactMatch()));
    }
    return new Trained(base, runs);
  }

  /**
   * Trains in chunks of up to 5 steps; stops before a chunk after which the three variants (this
   * one and two more of the same length, each with its evaluation) would exceed {@code seconds}.
   */
  private static int trainWithinBudget(Trainer trainer, int total, double seconds, Phases phases) {
    long start = System.nanoTime();
    int chunk = Math.max(1, Math.min(5, total));
    while (trainer.step() < total) {
      int next = Math.min(total, trainer.step() + chunk);
      if (trainer.step() > 0 && Double.isFinite(seconds)) {
        double perStep = (System.nanoTime() - start) / 1e9 / trainer.step();
        // three runs of `next` steps, plus ~10% for the evaluations and saving
        double needed = 3 * next * perStep * 1.1;
        if (needed > seconds) {
          LOG.warn(
              "stopping Unified's GRPO after step {} of {}: three variants of {} steps need about"
                  + " {} s, the budget leaves {} s for GRPO; Reas and Tool get the same {} steps",
              trainer.step(),
              total,
              next,
              Math.round(needed),
              Math.round(seconds),
              trainer.step());
          break;
        }
      }
      trainer.fitUntil(next);
    }
    return trainer.step();
  }

  private static Trainer trainer(
      InterferenceConfig c,
      GrpoConfig g,
      Policy policy,
      TextTokenizer tok,
      Retriever retriever,
      QaDataset train,
      Path runDir) {
    return Trainer.builder()
        .policy(policy)
        .tokenizer(tok)
        .retriever(retriever)
        .promptTemplate(c.warmStart().template())
        .reward(RewardFunctions.named("em"))
        .trainData(train)
        .config(g)
        .runDir(runDir)
        .build();
  }
}
