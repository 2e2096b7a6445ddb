package io.github.dartrl.examples.quickstart;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.harness.QuestionResultsFile;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.tool.Tool;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlTool;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.QuestionResult;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job on the bundled world, as one readable sequence of phases:
 *
 * <ol>
 *   <li>generate the world (seeded) and write it ({@code world/});
 *   <li>build the BM25 index over its corpus ({@code index/});
 *   <li>create the tiny Qwen2 model with a word-level tokenizer over the world's texts ({@code
 *       model-init/});
 *   <li>write scripted, deliberately imperfect demonstrations for the train split and warm-start
 *       the whole backbone on them by SFT ({@code sft/}); save the result as an HF directory
 *       ({@code model-sft/});
 *   <li>attach DART's adapters (B = 0, so the policy equals the warm-started model): reasoning and
 *       search, plus sql with {@code --tools search,sql} (the world then has search-then-SQL
 *       questions, whose tables the SQL tool opens read-only); evaluate greedy EM on the test
 *       split;
 *   <li>train DART with GRPO and the EM reward ({@code grpo/}), stopping early if the time budget
 *       would be exceeded;
 *   <li>evaluate again and save the adapters in PEFT format ({@code adapters/});
 *   <li>write {@code summary.md}, {@code summary.json} and the plots.
 * </ol>
 *
 * <p>Everything is written into one output directory, which must be empty or absent.
 */
public final class Quickstart {
  private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);

  /** The final evaluation's per-question results ({@link QuestionResultsFile}). */
  static final String AFTER_RESULTS = "eval-after.jsonl";

  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json");

  private Quickstart() {}

  /**
   * Runs the job.
   *
   * @param config what to run
   * @param out the output directory (created; must be empty if it exists)
   * @return the measured results (also written to {@code out/summary.md})
   */
  public static QuickstartResult run(QuickstartConfig config, Path out) {
    try {
      return runChecked(config, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static QuickstartResult runChecked(QuickstartConfig c, Path out) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("output path exists and is not a directory: " + out);
    }
    OutputDir.createNew(out, "--out");
    Phases phases = new Phases(8, c.budgetMinutes());
    QuickstartResult.Builder result = new QuickstartResult.Builder(c, out);

    WarmStart warm =
        WarmStart.run(
            c,
            out,
            phases,
            (mix, demos, tok) ->
                QuickstartReport.writeDemonstrations(out.resolve("sft"), mix, demos, tok));
    result.warmStart(warm);

    QaDataset train = QaDataset.readJsonl(warm.worldDir().resolve(Split.TRAIN.fileName()));
    QaDataset test =
        QaDataset.readJsonl(warm.worldDir().resolve(Split.TEST.fileName())).first(c.evalLimit());
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(warm.warmModel(), root);
        TextTokenizer tok = TextTokenizer.load(warm.warmModel());
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
        SqlExecutor sql = c.sql() ? WarmStart.openTables(warm.worldDir()) : null) {
      List<Tool> extraTools = sql == null ? List.of() : List.of(new SqlTool(sql));
      try (Policy dart = Policy.create(model, c.policy(), tok);
          Trainer trainer =
              Trainer.builder()
                  .policy(dart)
                  .tokenizer(tok)
                  .retriever(retriever)
                  .extraTools(extraTools)
                  .promptTemplate(c.template())
                  .reward(RewardFunctions.named("em"))
                  .trainData(train)
                  .config(c.grpo())
                  .runDir(out.resolve("grpo"))
                  .build()) {
        phases.start("eval (warm start)");
        ToolUse sqlBefore = new ToolUse(SqlExecutor.OPEN, SqlExecutor.CLOSE);
        EvalResult before = Evaluation.run(trainer, test, "warm start", sqlBefore);
        result.before(before);
        if (sql != null) {
          result.toolCallRate("sql_before", sqlBefore.rate());
        }
        double evalSeconds = phases.done(describe(before));

        phases.start("grpo");
        int steps = trainGrpo(trainer, c, phases, evalSeconds);
        result.grpoSteps(steps);
        phases.done(steps + " steps");

        phases.start("eval (after GRPO)");
        List<QuestionResult> afterRows = new ArrayList<>();
        ToolUse sqlAfter = new ToolUse(SqlExecutor.OPEN, SqlExecutor.CLOSE);
        EvalResult after =
            Evaluation.run(
                trainer.evaluator(), test, "after GRPO", sqlAfter.andThen(afterRows::add));
        QuestionResultsFile.write(out.resolve(AFTER_RESULTS), afterRows);
        result.after(after);
        if (sql != null) {
          result.toolCallRate("sql_after", sqlAfter.rate());
        }
        phases.done(describe(after));

        phases.start("save");
        PolicyCheckpoint.save(
            dart, out.resolve("adapters"), warm.warmModel().toAbsolutePath().toString());
        EvalReproduction.write(out, c, warm, out.resolve("adapters"));
      }
    }
    result.timings(phases.timings(), phases.cpuSeconds());
    QuickstartResult r = result.build();
    QuickstartReport.write(r);
    phases.done("results in " + out.resolve("summary.md"));
    return r;
  }

  /**
   * Runs GRPO in chunks of a few steps; before each chunk, stops if the chunk, the final evaluation
   * and the report would no longer fit in the budget.
   */
  private static int trainGrpo(
      Trainer trainer, QuickstartConfig c, Phases phases, double evalSeconds) {
    int total = c.grpo().totalSteps();
    int chunk = Math.max(1, Math.min(5, total));
    double secondsPerStep = Double.NaN;
    while (trainer.step() < total) {
      int next = Math.min(total, trainer.step() + chunk);
      if (c.budgetMinutes() > 0 && !Double.isNaN(secondsPerStep)) {
        double needed = (next - trainer.step()) * secondsPerStep + evalSeconds * 1.2 + 10;
        if (phases.remainingSeconds() < needed) {
          LOG.warn(
              "stopping GRPO after step {} of {}: {}s left in the {}-minute budget, the next"
                  + " {} steps and the final evaluation need about {}s",
              trainer.step(),
              total,
              Math.round(phases.remainingSeconds()),
              c.budgetMinutes(),
              next - trainer.step(),
              Math.round(needed));
          break;
        }
      }
      long t0 = System.nanoTime();
      int from = trainer.step();
      trainer.fitUntil(next);
      double s = (System.nanoTime() - t0) / 1e9 / (trainer.step() - from);
      secondsPerStep =
          Double.isNaN(secondsPerStep) ? s : Math.max(s, 0.5 * secondsPerStep + 0.5 * s);
    }
    return trainer.step();
  }

  static String describe(EvalResult r) {
    StringBuilder sb = new StringBuilder(String.format("EM %.3f", r.exactMatch()));
    r.exactMatchBySource().forEach((k, v) -> sb.append(String.format(", %s %.3f", k, v)));
    sb.append(String.format(", search rate %.2f", r.searchRate()));
    return sb.toString();
  }
}
