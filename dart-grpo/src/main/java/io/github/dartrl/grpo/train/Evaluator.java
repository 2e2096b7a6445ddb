package io.github.dartrl.grpo.train;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.metrics.ProgressReporter;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Rollouts;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Exact match of a policy on a QA set, overall and per {@code data_source}, without a {@link
 * Trainer}: one completion per question, greedy (temperature 0, the default) or sampled with the
 * rollout config's temperature and top-p from a fixed seed. Questions are rolled out in batches of
 * {@code batchSize}; after each batch a progress line with the running EM, the rate and the ETA is
 * logged through {@link ProgressReporter}. {@link Trainer#evaluate} delegates here, so an
 * evaluation from saved adapters reproduces the one recorded during training when the inputs (and
 * the batch size and seed) are the same.
 *
 * <pre>{@code
 * EvalResult r = Evaluator.builder().policy(policy).tokenizer(tok).retriever(bm25)
 *     .reward(RewardFunctions.named("em")).build().evaluate(testSet);
 * }</pre>
 */
public final class Evaluator {
  private final Rollouts engine;
  private final RewardFunction reward;
  private final int batchSize;
  private final long seed;
  private final String label;

  // AutoBuilder's build() calls this constructor; its parameters are the Builder's properties
  Evaluator(
      Policy policy,
      @Nullable Policy toolAgent,
      TextTokenizer tokenizer,
      Retriever retriever,
      List<io.github.dartrl.grpo.tool.Tool> extraTools,
      PromptTemplate promptTemplate,
      RewardFunction reward,
      RolloutConfig rollout,
      int batchSize,
      long seed,
      boolean greedy,
      String label) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.reward = reward;
    this.batchSize = batchSize;
    this.seed = seed;
    this.label = label;
    RolloutConfig sampling = greedy ? rollout.withSampling(0, 1.0) : rollout;
    this.engine =
        RolloutEngine.of(
            policy,
            toolAgent,
            tokenizer,
            retriever,
            List.copyOf(extraTools),
            promptTemplate,
            sampling);
  }

  private Evaluator(Evaluator other, String label) {
    this.engine = other.engine;
    this.reward = other.reward;
    this.batchSize = other.batchSize;
    this.seed = other.seed;
    this.label = Objects.requireNonNull(label, "label");
  }

  /**
   * This evaluator (same policies and settings) with progress lines that start with {@code label}.
   */
  public Evaluator labelled(String label) {
    return new Evaluator(this, label);
  }

  /** A builder with the defaults of {@link Builder}. */
  public static Builder builder() {
    return new AutoBuilder_Evaluator_Builder()
        .extraTools(List.of())
        .promptTemplate(PromptTemplate.searchR1())
        .rollout(RolloutConfig.searchR1())
        .batchSize(32)
        .seed(42)
        .greedy(true)
        .label("eval");
  }

  /** Evaluates {@code data}; EM overall and per {@code data_source}. */
  public EvalResult evaluate(QaDataset data) {
    return evaluate(data, r -> {});
  }

  /**
   * Evaluates {@code data}, handing each question's outcome to {@code sink} in the set's order.
   *
   * @throws IllegalArgumentException if {@code data} is empty
   * @throws io.github.dartrl.grpo.retrieval.RetrieverException if the retriever fails
   */
  public EvalResult evaluate(QaDataset data, Consumer<QuestionResult> sink) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("evaluation set is empty");
    }
    ProgressReporter progress =
        ProgressReporter.builder(data.size())
            .optLabel(label)
            .optUnit("question")
            .optKeys(List.of("em"))
            .optEvery(Math.min(batchSize, data.size()))
            .build();
    Map<String, double[]> bySource = new LinkedHashMap<>();
    double em = 0;
    double rewardSum = 0;
    double turns = 0;
    double searched = 0;
    double truncated = 0;
    for (int from = 0; from < data.size(); from += batchSize) {
      List<QaExample> chunk =
          data.examples().subList(from, Math.min(data.size(), from + batchSize));
      List<Trajectory> ts =
          engine.rollout(chunk.stream().map(QaExample::question).toList(), 1, seed);
      for (Trajectory t : ts) {
        QaExample ex = chunk.get(t.taskIndex());
        RewardResult r = RewardScoring.score(reward, ex, t);
        double hit = r.exactMatch() ? 1 : 0;
        em += hit;
        rewardSum += r.reward();
        turns += t.turns();
        searched += t.queries().isEmpty() ? 0 : 1;
        truncated += t.truncated() ? 1 : 0;
        double[] acc = bySource.computeIfAbsent(ex.dataSource(), k -> new double[2]);
        acc[0] += hit;
        acc[1]++;
        sink.accept(
            new QuestionResult(
                from + t.taskIndex(),
                ex,
                t.responseText(),
                r.exactMatch(),
                r.reward(),
                t.turns(),
                t.queries().size(),
                t.truncated()));
      }
      int done = Math.min(data.size(), from + batchSize);
      progress.report(new StepMetrics(done, Map.of("em", em / done)));
    }
    double n = data.size();
    Map<String, Double> emBy = new LinkedHashMap<>();
    Map<String, Integer> countBy = new LinkedHashMap<>();
    bySource.forEach(
        (k, v) -> {
          emBy.put(k, v[0] / v[1]);
          countBy.put(k, (int) v[1]);
        });
    return new EvalResult(
        em / n, emBy, countBy, rewardSum / n, turns / n, searched / n, truncated / n);
  }

  /**
   * Builder of an {@link Evaluator} (generated); policy, tokenizer, retriever and reward are
   * required (build throws {@link IllegalStateException} naming a missing one), the rest defaults
   * to the Search-R1 template and rollout, batches of 32, seed 42 (as {@link GrpoConfig}), greedy.
   */
  @AutoBuilder
  public interface Builder {
    /** The evaluated policy (the reasoner, with {@link #toolAgent}). */
    Builder policy(Policy v);

    /** The 2-Agent baseline's tool model; absent (null) for a single policy. */
    Builder toolAgent(@Nullable Policy v);

    /** Turns token ids into text and back. */
    Builder tokenizer(TextTokenizer v);

    /** What {@code <search>} queries. */
    Builder retriever(Retriever v);

    /** Tools beside search (e.g. SQL), in the order of the policy's spans after search. */
    Builder extraTools(List<io.github.dartrl.grpo.tool.Tool> v);

    /** The prompt each question is put in. */
    Builder promptTemplate(PromptTemplate v);

    /** Scores each response; its {@code exactMatch} is the EM counted. */
    Builder reward(RewardFunction v);

    /** Turn and token limits; its sampling is used only when not {@link #greedy}. */
    Builder rollout(RolloutConfig v);

    /** Questions rolled out together (default 32). */
    Builder batchSize(int v);

    /** The sampling seed of every batch (default 42; irrelevant when greedy). */
    Builder seed(long v);

    /** Greedy decoding (default) or sampling with the rollout config's temperature and top-p. */
    Builder greedy(boolean v);

    /** What the progress lines start with (default {@code eval}). */
    Builder label(String v);

    /** The rollout config, batch size and seed of a GRPO run, as its evaluations use them. */
    default Builder config(GrpoConfig v) {
      return rollout(v.rollout()).batchSize(v.evalBatchSize()).seed(v.seed());
    }

    /** The evaluator. */
    Evaluator build();
  }
}
