package io.github.dartrl.examples.quickstart;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.examples.world.DemonstrationConfig;
import io.github.dartrl.examples.world.PromptTexts;
import io.github.dartrl.examples.world.SqlDemonstrations;
import io.github.dartrl.examples.world.WorldConfig;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.sft.SftConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.util.List;
import java.util.Objects;

/**
 * Everything the quickstart job is configured by.
 *
 * @param world the world to generate
 * @param modelSize the tiny model's architecture
 * @param modelSeed the model's initialisation seed
 * @param instruction the instruction before each question (the prompt is {@code instruction + " " +
 *     question}); the same text for demonstrations, rollouts and evaluation
 * @param demonstrations the imperfection mix of the scripted demonstrations
 * @param sft the SFT warm-start (the whole backbone is trained: it starts from a random init)
 * @param policy the GRPO policy (DART: two adapters on the frozen warm-started backbone, three with
 *     SQL: {@link #withSql})
 * @param grpo the GRPO run (its rollout config also shapes the demonstrations' observations)
 * @param evalLimit evaluate on the first this many test questions (0 = all)
 * @param budgetMinutes stop GRPO early so the whole job ends within this many minutes (0 = no
 *     limit); the summary records the steps actually run
 */
public record QuickstartConfig(
    WorldConfig world,
    TinyModels.Size modelSize,
    long modelSeed,
    String instruction,
    DemonstrationConfig demonstrations,
    SftConfig sft,
    PolicyConfig policy,
    GrpoConfig grpo,
    int evalLimit,
    double budgetMinutes) {

  /** Validates the components. */
  public QuickstartConfig {
    Objects.requireNonNull(world, "world");
    Objects.requireNonNull(modelSize, "modelSize");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(demonstrations, "demonstrations");
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(grpo, "grpo");
    if (evalLimit < 0) {
      throw new IllegalArgumentException("evalLimit must be >= 0 (0 = all), got " + evalLimit);
    }
    if (!(budgetMinutes >= 0)) {
      throw new IllegalArgumentException("budgetMinutes must be >= 0, got " + budgetMinutes);
    }
  }

  /** The prompt template every phase uses. */
  public PromptTemplate template() {
    return new PromptTemplate(instruction + " {question}", true);
  }

  /** The measured default run (see docs/results.md). */
  public static QuickstartConfig defaults() {
    return QuickstartPresets.defaults();
  }

  /** A run of well under a minute on the small world, for tests and CI. */
  public static QuickstartConfig smoke() {
    return QuickstartPresets.smoke();
  }

  /** The Search-R1 instruction, lower-cased for the word-level tokenizer (118 tokens). */
  public static String searchR1Instruction() {
    return PromptTexts.INSTRUCTION;
  }

  /**
   * Its first sentence and {@code question :} (7 tokens; see {@link
   * PromptTexts#SHORT_INSTRUCTION}).
   */
  public static String shortInstruction() {
    return PromptTexts.SHORT_INSTRUCTION;
  }

  /**
   * A copy with {@code seed} for the model's initialisation, the SFT shuffle, the GRPO data order
   * and sampling, and the adapters' initialisation (the world and the demonstrations keep theirs).
   */
  public QuickstartConfig withSeed(long seed) {
    return new QuickstartConfig(
        world,
        modelSize,
        seed,
        instruction,
        demonstrations,
        sft.toBuilder().seed(seed).build(),
        policy.withSeed(seed),
        grpo.toBuilder().seed(seed).build(),
        evalLimit,
        budgetMinutes);
  }

  public QuickstartConfig withInstruction(String text) {
    return new QuickstartConfig(
        world,
        modelSize,
        modelSeed,
        text,
        demonstrations,
        sft,
        policy,
        grpo,
        evalLimit,
        budgetMinutes);
  }

  public QuickstartConfig withSft(SftConfig s) {
    return new QuickstartConfig(
        world,
        modelSize,
        modelSeed,
        instruction,
        demonstrations,
        s,
        policy,
        grpo,
        evalLimit,
        budgetMinutes);
  }

  public QuickstartConfig withGrpo(GrpoConfig g) {
    return new QuickstartConfig(
        world,
        modelSize,
        modelSeed,
        instruction,
        demonstrations,
        sft,
        policy,
        g,
        evalLimit,
        budgetMinutes);
  }

  public QuickstartConfig withBudgetMinutes(double minutes) {
    return new QuickstartConfig(
        world,
        modelSize,
        modelSeed,
        instruction,
        demonstrations,
        sft,
        policy,
        grpo,
        evalLimit,
        minutes);
  }

  public QuickstartConfig withEvalLimit(int limit) {
    return new QuickstartConfig(
        world,
        modelSize,
        modelSeed,
        instruction,
        demonstrations,
        sft,
        policy,
        grpo,
        limit,
        budgetMinutes);
  }

  /** Share of the questions that need search then SQL in {@code --tools search,sql}. */
  public static final double SQL_FRACTION = 0.25;

  /**
   * The {@code --tools search,sql} run: {@code fraction} of the questions need a search and then
   * SQL over the world's tables, the tokenizer gets {@code <sql>}/{@code </sql>} as atomic tags,
   * the instruction gains {@link SqlDemonstrations#TOOL_DESCRIPTION}, the demonstrations query the
   * tables, and DART has three adapters (reasoning, search, sql).
   */
  public QuickstartConfig withSql(double fraction) {
    return new QuickstartConfig(
        world.withSearchSql(fraction),
        modelSize,
        modelSeed,
        withToolDescription(instruction, SqlDemonstrations.TOOL_DESCRIPTION),
        demonstrations,
        sft,
        policy.withSpans(List.of(ToolSpan.search(), ToolSpan.sql())),
        grpo,
        evalLimit,
        budgetMinutes);
  }

  /** {@code description} before the instruction's closing {@code question :}, else at its end. */
  static String withToolDescription(String instruction, String description) {
    String tail = "question :";
    return instruction.endsWith(" " + tail)
        ? instruction.substring(0, instruction.length() - tail.length()) + description + " " + tail
        : instruction + " " + description;
  }

  /** Whether the run has the SQL tool (its world has search-then-SQL questions). */
  public boolean sql() {
    return world.sql();
  }

  /** The tools of the run, in span order: {@code [search]} or {@code [search, sql]}. */
  public List<String> tools() {
    return sql() ? List.of("search", "sql") : List.of("search");
  }

  public QuickstartConfig withWorld(WorldConfig w) {
    return new QuickstartConfig(
        w,
        modelSize,
        modelSeed,
        instruction,
        demonstrations,
        sft,
        policy,
        grpo,
        evalLimit,
        budgetMinutes);
  }

  public QuickstartConfig withDemonstrations(DemonstrationConfig d) {
    return new QuickstartConfig(
        world, modelSize, modelSeed, instruction, d, sft, policy, grpo, evalLimit, budgetMinutes);
  }
}
