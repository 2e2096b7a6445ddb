package io.github.dartrl.leas.attribution;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.leas.task.SearchTask;
import io.github.dartrl.leas.task.SearchTaskBuilder;
import io.github.dartrl.leas.variant.CeaModel;
import io.github.dartrl.leas.variant.HybridMode;
import io.github.dartrl.leas.variant.VariantRolloutEngine;
import io.github.dartrl.leas.variant.VariantSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the CEA count table from model variants: for each question, N sampled Search-R1 rollouts
 * (default 50, temperature from the rollout config) under each of the six variants, scored by exact
 * match.
 *
 * <p>Questions are processed in batches; every variant samples a batch with the same seed, so row i
 * of every variant draws from the same random stream (common random numbers: the variants'
 * differences are then a little less noisy than with independent seeds).
 *
 * <pre>{@code
 * try (VariantSet v = VariantSet.load(base, reas, tool, unified, root)) {
 *   AttributionRun run = AttributionRunner.builder().setVariants(v).setRetriever(bm25)
 *       .optSamples(50).build().run(questions);
 *   AttributionResult r = InterferenceAttribution.analyze(run.counts(), AttributionConfig.defaults());
 * }
 * }</pre>
 */
public final class AttributionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AttributionRunner.class);

  private final VariantSet variants;
  private final SearchTask task;
  private final HybridMode hybridMode;
  private final int samples;
  private final int questionsPerBatch;
  private final long seed;
  private final Duration timeLimit;

  private AttributionRunner(Builder b) {
    this.variants = Objects.requireNonNull(b.variants, "variants");
    this.task = b.task();
    this.hybridMode = b.hybridMode;
    this.samples = b.samples;
    this.questionsPerBatch = b.questionsPerBatch;
    this.seed = b.seed;
    this.timeLimit = b.timeLimit;
    if (!variants.spans().contains(task.rollout().search())) {
      throw new IllegalArgumentException(
          "the rollout's search span "
              + task.rollout().search()
              + " is not among the variants' router spans "
              + variants.spans());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Samples every variant on every question (or, with a time limit, on the first batches that fit
   * in it: the count table then has fewer rows than {@code questions}).
   *
   * @throws IllegalArgumentException if {@code questions} is empty or has duplicate ids
   */
  public AttributionRun run(List<QaExample> questions) {
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("no questions to sample");
    }
    Set<String> ids = new HashSet<>();
    for (QaExample q : questions) {
      if (!ids.add(q.id())) {
        throw new IllegalArgumentException("duplicate question id " + q.id());
      }
    }
    int models = CeaModel.values().length;
    int[][] k = new int[questions.size()][models];
    Map<CeaModel, double[]> diag = new EnumMap<>(CeaModel.class);
    TokenRouter router = variants.router();
    long t0 = System.nanoTime();
    int sampled = 0;
    for (int from = 0; from < questions.size(); from += questionsPerBatch) {
      if (from > 0 && timeLimit != null) {
        // stop before a batch that would not end within the limit (at the mean batch time so far)
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double perBatch = elapsed / (from / questionsPerBatch);
        if (elapsed + perBatch > timeLimit.toNanos() / 1e9) {
          LOG.warn(
              "CEA sampling stopped after {} of {} questions: the {} s time limit would be exceeded",
              from,
              questions.size(),
              timeLimit.toSeconds());
          break;
        }
      }
      List<QaExample> chunk =
          questions.subList(from, Math.min(questions.size(), from + questionsPerBatch));
      List<String> texts = chunk.stream().map(QaExample::question).toList();
      long batchSeed = seed * 1_000_003L + from / questionsPerBatch;
      for (CeaModel m : CeaModel.values()) {
        VariantRolloutEngine engine =
            new VariantRolloutEngine(
                variants.reasoningSide(m),
                variants.toolSide(m),
                hybridMode,
                router,
                variants.tokenizer(),
                task.retriever(),
                task.template(),
                task.rollout());
        List<Trajectory> ts = engine.rollout(texts, samples, batchSeed);
        double[] d = diag.computeIfAbsent(m, x -> new double[8]);
        for (Trajectory t : ts) {
          QaExample ex = chunk.get(t.taskIndex());
          boolean em = task.score(ex, t).exactMatch();
          if (em) {
            k[from + t.taskIndex()][m.ordinal()]++;
          }
          accumulate(d, t, em);
        }
      }
      int done = Math.min(questions.size(), from + questionsPerBatch);
      sampled = done;
      double s = (System.nanoTime() - t0) / 1e9;
      LOG.info(
          "CEA sampling: {}/{} questions, {} s elapsed, ~{} s left",
          done,
          questions.size(),
          Math.round(s),
          Math.round(s / done * (questions.size() - done)));
    }
    List<QuestionCounts> rows = new ArrayList<>();
    int[] n = new int[models];
    java.util.Arrays.fill(n, samples);
    for (int q = 0; q < sampled; q++) {
      rows.add(new QuestionCounts(questions.get(q).id(), questions.get(q).question(), k[q], n));
    }
    Map<CeaModel, VariantDiagnostics> diagnostics = new EnumMap<>(CeaModel.class);
    diag.forEach((m, d) -> diagnostics.put(m, diagnostics(d)));
    return new AttributionRun(new CountTable(rows), diagnostics, hybridMode, samples, seed);
  }

  // d: [samples, em, answered, searches, truncated, toolTokens, sampledTokens, responseTokens]
  private static void accumulate(double[] d, Trajectory t, boolean em) {
    d[0]++;
    d[1] += em ? 1 : 0;
    d[2] += t.end() == Trajectory.End.ANSWER ? 1 : 0;
    d[3] += t.queries().size();
    d[4] += t.truncated() ? 1 : 0;
    int tool = 0;
    int sampled = 0;
    for (int role : t.roles()) {
      tool += role == TokenRole.TOOL.code() ? 1 : 0;
      sampled += TokenRole.ofCode(role).isSampled() ? 1 : 0;
    }
    d[5] += tool;
    d[6] += sampled;
    d[7] += t.responseLength();
  }

  private static VariantDiagnostics diagnostics(double[] d) {
    double n = Math.max(d[0], 1);
    return new VariantDiagnostics(
        (int) d[0], d[1] / n, d[2] / n, d[3] / n, d[4] / n, d[6] == 0 ? 0 : d[5] / d[6], d[7] / n);
  }

  /**
   * Builder; {@code setX} are required, {@code optX} optional. The task's reward decides which
   * samples count as correct (by its {@code exactMatch}).
   */
  public static final class Builder extends SearchTaskBuilder<Builder> {
    private VariantSet variants;
    private HybridMode hybridMode = HybridMode.HANDOFF;
    private int samples = 50;
    private int questionsPerBatch = 4;
    private long seed;
    private Duration timeLimit;

    @Override
    protected Builder self() {
      return this;
    }

    public Builder setVariants(VariantSet v) {
      variants = v;
      return this;
    }

    public Builder optHybridMode(HybridMode m) {
      hybridMode = Objects.requireNonNull(m);
      return this;
    }

    /** N per question and model (default 50, as the paper). */
    public Builder optSamples(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("samples must be >= 1, got " + n);
      }
      samples = n;
      return this;
    }

    /** Questions rolled out together (rows = questions × N). */
    public Builder optQuestionsPerBatch(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("questionsPerBatch must be >= 1, got " + n);
      }
      questionsPerBatch = n;
      return this;
    }

    public Builder optSeed(long s) {
      seed = s;
      return this;
    }

    /**
     * Stop sampling before a batch of questions that would end after this much time (measured from
     * the start of {@link #run}, at the mean batch time so far); the first batch always runs.
     * Default: none, every question is sampled.
     */
    public Builder optTimeLimit(Duration limit) {
      if (limit != null && (limit.isNegative() || limit.isZero())) {
        throw new IllegalArgumentException("timeLimit must be positive, got " + limit);
      }
      timeLimit = limit;
      return this;
    }

    public AttributionRunner build() {
      return new AttributionRunner(this);
    }
  }
}
