package io.github.dartrl.examples.cli;

import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlLimits;
import io.github.dartrl.grpo.tool.sql.SqlTool;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.Evaluator;
import io.github.dartrl.grpo.train.QuestionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j eval}: exact match of a model (with optional saved adapters, or a 2-Agent pair) on
 * a QA file with a retriever, without training anything: the library's {@link Evaluator}, whose
 * results equal the evaluation a training run records for the same policy and settings. Writes
 * {@code eval.json}, {@code em_by_source.csv} and {@code results.jsonl} ({@link EvalReport}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a model (+ saved adapters) on a QA JSONL file with a retriever: EM overall and"
            + " per data_source (eval.json, em_by_source.csv) and each question's result"
            + " (results.jsonl). Greedy by default.")
public final class EvalCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Mixin RolloutOptions rolloutOptions;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"--data", "--test"},
      required = true,
      description = "QA set (FlashRAG JSONL: id, question, golden_answers, data_source)")
  Path data;

  @ArgGroup(exclusive = true, multiplicity = "1")
  TrainRealCommand.Source source;

  @Option(
      names = "--tool-model",
      description =
          "2-Agent: the tool agent's HF model directory (e.g. train-real's OUT/tool); --model is"
              + " then the reasoner")
  Path toolModel;

  @Option(names = "--out", required = true, description = "output directory (absent or empty)")
  Path out;

  @Option(names = "--limit", defaultValue = "0", description = "first N questions (0 = all)")
  int limit;

  @Option(
      names = "--temperature",
      defaultValue = "0",
      description = "0 = greedy (default); > 0 samples one completion per question from --seed")
  double temperature;

  @Option(names = "--top-p", defaultValue = "1.0", description = "1 = off (with --temperature)")
  double topP;

  @Option(
      names = "--greedy",
      description = "greedy decoding (the default; refuses a --temperature > 0)")
  boolean greedy;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "sampling seed (default ${DEFAULT-VALUE}, train-real's)")
  long seed;

  @Option(
      names = "--sql-tables",
      paramLabel = "FILE",
      description =
          "a SQL script (e.g. the world's tables.sql) opened as the <sql> tool beside search, for"
              + " adapters trained with --tools search,sql")
  Path sqlTables;

  @Mixin RewardOption rewardOption;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "questions rolled out together (default ${DEFAULT-VALUE}, train-real's)")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    // every input is checked before the output directory or any native memory is touched
    OutputDir.requireNew(out, "--out");
    if (limit < 0 || batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 0, --batch-size >= 1");
    }
    if (greedy && temperature > 0) {
      throw new ParameterException(spec.commandLine(), "--greedy and --temperature > 0 conflict");
    }
    PromptTemplate t = rolloutOptions.promptTemplate(modelOptions.model);
    RolloutConfig rollout = rolloutOptions.rollout().withSampling(temperature, topP);
    var rewardFunction = RewardFunctions.named(rewardOption.reward);
    if (toolModel != null && !Files.isRegularFile(toolModel.resolve("config.json"))) {
      throw new IllegalArgumentException(
          "--tool-model: " + toolModel + " is not an HF model directory (no config.json)");
    }
    if (sqlTables != null && !Files.isRegularFile(sqlTables)) {
      throw new IllegalArgumentException("--sql-tables: " + sqlTables + " is not a file");
    }
    QaDataset qa = QaDataset.readJsonl(data).first(limit);
    modelOptions.validate();
    Files.createDirectories(out);
    try (ModelOptions.Loaded m = modelOptions.load();
        Retriever retriever = source.toSource().open(out.resolve("index"));
        SqlExecutor sql =
            sqlTables == null ? null : SqlExecutor.fromScript(sqlTables, SqlLimits.defaults());
        DecoderModel second = toolModel == null ? null : HfCheckpoint.load(toolModel, m.root());
        Policy tool =
            second == null
                ? null
                : Policy.create(second, PolicyConfig.of(Method.NONE, 8), m.tokenizer())) {
      Evaluator evaluator =
          Evaluator.builder()
              .policy(m.policy())
              .toolAgent(tool)
              .tokenizer(m.tokenizer())
              .retriever(retriever)
              .extraTools(sql == null ? List.of() : List.of(new SqlTool(sql)))
              .promptTemplate(t)
              .reward(rewardFunction)
              .rollout(rollout)
              .greedy(temperature == 0)
              .batchSize(batchSize)
              .seed(seed)
              .build();
      List<QuestionResult> rows = new ArrayList<>();
      long t0 = System.nanoTime();
      EvalResult r = evaluator.evaluate(qa, rows::add);
      double seconds = (System.nanoTime() - t0) / 1e9;
      EvalReport.Settings settings =
          new EvalReport.Settings(
              modelOptions.model,
              modelOptions.adapters,
              modelOptions.evalAs,
              toolModel,
              data,
              source.toSource().kind() + " " + source.toSource().location(),
              rolloutOptions.template,
              rewardOption.reward,
              rollout,
              seed,
              batchSize);
      EvalReport.write(out, settings, r, rows, seconds);
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "EM %.4f on %d questions %s; results in %s%n",
              r.exactMatch(),
              qa.size(),
              r.exactMatchBySource(),
              out.resolve(EvalReport.SUMMARY));
    }
    return 0;
  }
}
