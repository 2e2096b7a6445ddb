package io.github.dartrl.grpo.train;

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

  private Evaluator(Builder b) {
    Objects.requireNonNull(b.policy, "policy");
    Objects.requireNonNull(b.tokenizer, "tokenizer");
    Objects.requireNonNull(b.retriever, "retriever");
    this.reward = Objects.requireNonNull(b.reward, "reward");
    if (b.batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + b.batchSize);
    }
    this.batchSize = b.batchSize;
    this.seed = b.seed;
    this.label = b.label;
    RolloutConfig rollout = b.greedy ? b.rollout.withSampling(0, 1.0) : b.rollout;
    this.engine =
        RolloutEngine.of(
            b.policy, b.toolAgent, b.tokenizer, b.retriever, b.extraTools, b.template, rollout);
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

  public static Builder builder() {
    return new Builder();
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
   * Builder of an {@link Evaluator}; policy, tokenizer, retriever and reward are required, the rest
   * defaults to the Search-R1 template and rollout, batches of 32, seed 42 (as {@link GrpoConfig}),
   * greedy.
   */
  public static final class Builder {
    private Policy policy;
    private Policy toolAgent;
    private TextTokenizer tokenizer;
    private Retriever retriever;
    private List<io.github.dartrl.grpo.tool.Tool> extraTools = List.of();
    private PromptTemplate template = PromptTemplate.searchR1();
    private RewardFunction reward;
    private RolloutConfig rollout = RolloutConfig.searchR1();
    private int batchSize = 32;
    private long seed = 42;
    private boolean greedy = true;
    private String label = "eval";

    private Builder() {}

    /** The evaluated policy (the reasoner, with {@link #toolAgent}). */
    public Builder policy(Policy v) {
      policy = v;
      return this;
    }

    /** The 2-Agent baseline's tool model; absent (null) for a single policy. */
    public Builder toolAgent(Policy v) {
      toolAgent = v;
      return this;
    }

    public Builder tokenizer(TextTokenizer v) {
      tokenizer = v;
      return this;
    }

    public Builder retriever(Retriever v) {
      retriever = v;
      return this;
    }

    /** Tools beside search (e.g. SQL), in the order of the policy's spans after search. */
    public Builder extraTools(List<io.github.dartrl.grpo.tool.Tool> v) {
      extraTools = List.copyOf(v);
      return this;
    }

    public Builder promptTemplate(PromptTemplate v) {
      template = Objects.requireNonNull(v, "promptTemplate");
      return this;
    }

    /** Scores each response; its {@code exactMatch} is the EM counted. */
    public Builder reward(RewardFunction v) {
      reward = v;
      return this;
    }

    /** Turn and token limits; its sampling is used only when not {@link #greedy}. */
    public Builder rollout(RolloutConfig v) {
      rollout = Objects.requireNonNull(v, "rollout");
      return this;
    }

    /** Questions rolled out together (default 32). */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** The sampling seed of every batch (default 42; irrelevant when greedy). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Greedy decoding (default) or sampling with the rollout config's temperature and top-p. */
    public Builder greedy(boolean v) {
      greedy = v;
      return this;
    }

    /** The rollout config, batch size and seed of a GRPO run, as its evaluations use them. */
    public Builder config(GrpoConfig v) {
      return rollout(v.rollout()).batchSize(v.evalBatchSize()).seed(v.seed());
    }

    /** What the progress lines start with (default {@code eval}). */
    public Builder label(String v) {
      label = Objects.requireNonNull(v, "label");
      return this;
    }

    public Evaluator build() {
      return new Evaluator(this);
    }
  }
}
