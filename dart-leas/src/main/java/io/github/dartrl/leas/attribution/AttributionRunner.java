package io.github.dartrl.leas.attribution;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.Trajectory;
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
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the CEA count table from model variants: for each question, N sampled Search-R1 rollouts
 * (default 50, temperature from the rollout config) under each of the six variants, scored by exact
 * match.
 *
 * <p>Questions are processed in batches with one seed each. By default every variant samples a
 * batch from its own stream ({@link SamplingStreams#INDEPENDENT}), as the identical-models null
 * assumes; {@link SamplingStreams#COMMON} gives every variant the batch's stream (common random
 * numbers), which couples the counts of similar variants (see {@link SamplingStreams}).
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
  private final Retriever retriever;
  private final PromptTemplate template;
  private final RolloutConfig rollout;
  private final RewardFunction reward;
  private final HybridMode hybridMode;
  private final int samples;
  private final int questionsPerBatch;
  private final long seed;
  private final SamplingStreams streams;
  private final Duration timeLimit;

  // AutoBuilder's build() calls this constructor: its parameters are named as the builder's
  // setters (set/opt, the DJL convention), which AutoBuilder matches by name
  AttributionRunner(
      VariantSet setVariants,
      Retriever setRetriever,
      PromptTemplate optTemplate,
      RolloutConfig optRollout,
      RewardFunction optReward,
      HybridMode optHybridMode,
      int optSamples,
      int optQuestionsPerBatch,
      long optSeed,
      SamplingStreams optStreams,
      @Nullable Duration optTimeLimit) {
    if (optSamples < 1) {
      throw new IllegalArgumentException("samples must be >= 1, got " + optSamples);
    }
    if (optQuestionsPerBatch < 1) {
      throw new IllegalArgumentException(
          "questionsPerBatch must be >= 1, got " + optQuestionsPerBatch);
    }
    if (optTimeLimit != null && (optTimeLimit.isNegative() || optTimeLimit.isZero())) {
      throw new IllegalArgumentException("timeLimit must be positive, got " + optTimeLimit);
    }
    this.variants = setVariants;
    this.retriever = setRetriever;
    this.template = optTemplate;
    this.rollout = optRollout;
    this.reward = optReward;
    this.hybridMode = optHybridMode;
    this.samples = optSamples;
    this.questionsPerBatch = optQuestionsPerBatch;
    this.seed = optSeed;
    this.streams = optStreams;
    this.timeLimit = optTimeLimit;
    if (!variants.spans().contains(rollout.search())) {
      throw new IllegalArgumentException(
          "the rollout's search span "
              + rollout.search()
              + " is not among the variants' router spans "
              + variants.spans());
    }
  }

  /** A builder with the defaults its {@code optX} setters name. */
  public static Builder builder() {
    return new AutoBuilder_AttributionRunner_Builder()
        .optTemplate(PromptTemplate.searchR1())
        .optRollout(RolloutConfig.searchR1())
        .optReward(RewardFunctions.named("em"))
        .optHybridMode(HybridMode.HANDOFF)
        .optSamples(50)
        .optQuestionsPerBatch(4)
        .optSeed(0)
        .optStreams(SamplingStreams.INDEPENDENT);
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
                retriever,
                template,
                rollout);
        List<Trajectory> ts = engine.rollout(texts, samples, streams.seed(batchSeed, m));
        double[] d = diag.computeIfAbsent(m, x -> new double[8]);
        for (Trajectory t : ts) {
          QaExample ex = chunk.get(t.taskIndex());
          boolean em = score(ex, t);
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
    return new AttributionRun(
        new CountTable(rows), diagnostics, hybridMode, samples, seed, streams);
  }

  private boolean score(QaExample ex, Trajectory t) {
    return reward.score(t.rewardInput(ex)).exactMatch();
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
   * Builder (generated); {@code setX} are required (build throws {@link IllegalStateException}
   * naming a missing one), {@code optX} optional. Values are validated when built.
   */
  @AutoBuilder
  public interface Builder {
    /** The CEA variants sampled. */
    Builder setVariants(VariantSet v);

    /** What {@code <search>} queries. */
    Builder setRetriever(Retriever r);

    /** The prompt each question is put in (default Search-R1's). */
    Builder optTemplate(PromptTemplate t);

    /** Rollout limits and sampling (default Search-R1's, temperature 1). */
    Builder optRollout(RolloutConfig c);

    /** Whose {@code exactMatch} counts as correct (default: EM, truncated = wrong). */
    Builder optReward(RewardFunction r);

    /** How the hybrids hand off (default {@link HybridMode#HANDOFF}). */
    Builder optHybridMode(HybridMode m);

    /** N per question and model (default 50, as the paper); at least 1. */
    Builder optSamples(int n);

    /** Questions rolled out together (rows = questions × N); at least 1 (default 4). */
    Builder optQuestionsPerBatch(int n);

    /** Seeds the sampling (default 0). */
    Builder optSeed(long s);

    /**
     * Whether the variants draw from their own streams (default {@link
     * SamplingStreams#INDEPENDENT}, what the identical-models null assumes) or share each batch's.
     */
    Builder optStreams(SamplingStreams s);

    /**
     * Stop sampling before a batch of questions that would end after this much time (measured from
     * the start of {@link AttributionRunner#run}, at the mean batch time so far); the first batch
     * always runs. Default: none (null), every question is sampled; else positive.
     */
    Builder optTimeLimit(@Nullable Duration limit);

    /** The runner; validates the settings. */
    AttributionRunner build();
  }
}
