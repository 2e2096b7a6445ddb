package io.github.dartrl.leas.probe;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.loss.GroupAdvantages;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gradient-angle probe of paper v2 §4.4 ("gradient misalignment").
 *
 * <p>Protocol, per query: G rollouts ({@link RolloutEngine}, the policy's own gating); outcome
 * rewards; GRPO advantages {@code A_i} within the group; groups whose rewards are all equal carry
 * no signal and are skipped (as the unofficial reference script does). For every trajectory i and
 * role b ∈ {REASONING, TOOL}:
 *
 * <pre>
 *   L_b(τ_i) = −A_i · (1/|T_b|) Σ_{t ∈ T_b} log π_θ(c_t | c_&lt;t)      (token mean within the role)
 *   g_b(τ_i) = ∇_θ L_b(τ_i)                                      (its own forward and backward)
 * </pre>
 *
 * over the policy's trainable parameters θ (a single shared LoRA adapter for {@link Method#LORA},
 * the whole model for {@link Method#FULL}; under DART the two roles mostly train different
 * adapters, so their angle is near 90° by construction). Angles are {@code arccos(cos)} of the
 * flattened gradients, and per decoder layer. Inter-role: {@code ∠(g_r(τ_i), g_a(τ_i))}. Same-role
 * baseline: {@code ∠(g_b(τ_i), g_b(τ_j))}, i &lt; j, same query. A trajectory without tokens of a
 * role is skipped for the pairs that need that role, and counted.
 *
 * <p>Gradients are moved out of PyTorch's {@code .grad} after every backward ({@link
 * io.github.dartrl.core.optim.Gradients}), so the passes never accumulate into each other. All G
 * gradients of one query (2 per trajectory) are held in Java memory while its pairs are measured:
 * 2·G·P floats for P trainable scalars.
 *
 * <p>{@link #run(List, BatchSplitConfig)} also sums each group's role gradients and hands them to
 * the batch-level probe ({@link BatchSplitAngles}): angles between two random halves of the groups,
 * over many splits, from the same rollouts and backward passes.
 *
 * <p><b>Several tools.</b> With {@code optExtraTools} (e.g. SQL beside search; the policy's router
 * must know their spans) the roles are reasoning and each tool: "tool" above is every tool's tokens
 * together, and the batch level also measures every pair of roles ({@link RolePairAngles}): each
 * trajectory then gets one more backward pass per tool, over that tool's tokens only.
 */
public final class GradientAngleProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GradientAngleProbe.class);

  private final Policy policy;
  private final TextTokenizer tokenizer;
  private final Retriever retriever;
  private final PromptTemplate template;
  private final RolloutConfig rollout;
  private final RewardFunction reward;
  private final ProbeConfig config;
  private final List<Tool> extraTools;
  private final ParameterGroups layout;
  private final TrajectoryGradients backward;

  // AutoBuilder's build() calls this constructor: its parameters are named as the builder's
  // setters (set/opt, the DJL convention), which AutoBuilder matches by name
  GradientAngleProbe(
      Policy setPolicy,
      TextTokenizer setTokenizer,
      Retriever setRetriever,
      PromptTemplate optTemplate,
      RolloutConfig optRollout,
      RewardFunction optReward,
      ProbeConfig optConfig,
      List<Tool> optExtraTools) {
    this.policy = setPolicy;
    if (policy.trainableParameters().isEmpty()) {
      throw new IllegalArgumentException(
          policy.method() + " has no trainable parameters; probe a LORA, DART or FULL policy");
    }
    if (policy.method() == Method.DART) {
      LOG.warn(
          "probing a DART policy: reasoning and tool losses train different adapters, so their"
              + " gradients are near-orthogonal by construction; use LORA or FULL to measure"
              + " interference in shared parameters");
    }
    this.tokenizer = setTokenizer;
    this.retriever = setRetriever;
    this.template = optTemplate;
    this.rollout = optRollout;
    this.reward = optReward;
    this.config = optConfig;
    this.extraTools = List.copyOf(optExtraTools);
    this.layout = ParameterGroups.of(policy.trainableParameters());
    this.backward =
        new TrajectoryGradients(
            policy, layout, tokenizer.padTokenId().orElse(0), rollout.temperature());
  }

  /** A builder with the defaults its {@code optX} setters name. */
  public static Builder builder() {
    return new AutoBuilder_GradientAngleProbe_Builder()
        .optTemplate(PromptTemplate.searchR1())
        .optRollout(RolloutConfig.searchR1())
        .optReward(RewardFunctions.named("em"))
        .optConfig(ProbeConfig.defaults())
        .optExtraTools(List.of());
  }

  /**
   * The roles the batch level measures pairwise with several tools: "reasoning", "search", then
   * each extra tool's name.
   */
  public List<String> roles() {
    List<String> r = new ArrayList<>(List.of("reasoning", "search"));
    extraTools.forEach(t -> r.add(t.name()));
    return r;
  }

  /** The layout of the flattened gradients (one group per decoder layer). */
  public ParameterGroups layout() {
    return layout;
  }

  /**
   * Runs the probe on {@code queries}.
   *
   * @throws IllegalArgumentException if {@code queries} is empty
   * @throws IllegalStateException if no query had mixed rewards, or no trajectory had both roles:
   *     then there is nothing to compare, and no result is returned that could pass for one
   */
  public ProbeResult run(List<QaExample> queries) {
    return collect(queries, null).trajectories();
  }

  /**
   * Runs the per-trajectory probe and, on the same rollouts and gradients, the batch-level probe
   * ({@link BatchSplitAngles}): each mixed-reward group's per-trajectory role gradients are also
   * summed into one reasoning and one tool gradient per group, kept in Java memory (2·M·P floats
   * for M groups and P trainable scalars), and split {@code batch.splits()} times.
   *
   * @throws IllegalArgumentException if {@code queries} is empty
   * @throws IllegalStateException as {@link #run(List)}; if only the batch level has nothing to
   *     measure (e.g. a single mixed-reward group), the result carries the reason instead; with
   *     several tools the result also holds every pair of roles' angles ({@link RolePairAngles}),
   *     or why they could not be measured
   */
  public ProbeRun run(List<QaExample> queries, BatchSplitConfig batch) {
    return collect(queries, Objects.requireNonNull(batch, "batch"));
  }

  private ProbeRun collect(List<QaExample> queries, BatchSplitConfig batch) {
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("no queries to probe");
    }
    RolloutEngine engine =
        RolloutEngine.of(policy, null, tokenizer, retriever, extraTools, template, rollout);
    int g = config.groupSize();
    List<AnglePair> pairs = new ArrayList<>();
    List<QueryAngles> perQuery = new ArrayList<>();
    List<GroupRoleGradients> groupSums = batch == null ? null : new ArrayList<>();
    List<GroupRoleSums> roleSums = batch == null || extraTools.isEmpty() ? null : new ArrayList<>();
    int mixed = 0;
    int uniform = 0;
    int trajectories = 0;
    int[] missing = new int[2];
    int[] zero = new int[1];
    long t0 = System.nanoTime();
    for (int from = 0; from < queries.size(); from += config.queriesPerRollout()) {
      List<QaExample> chunk =
          queries.subList(from, Math.min(queries.size(), from + config.queriesPerRollout()));
      long seed = config.seed() * 1_000_003L + from / config.queriesPerRollout();
      List<Trajectory> ts =
          engine.rollout(chunk.stream().map(QaExample::question).toList(), g, seed);
      for (int q = 0; q < chunk.size(); q++) {
        List<Trajectory> group = ts.subList(q * g, (q + 1) * g);
        double[] rewards = new double[g];
        double mean = 0;
        for (int i = 0; i < g; i++) {
          rewards[i] = score(chunk.get(q), group.get(i));
          mean += rewards[i] / g;
        }
        float[] adv =
            GroupAdvantages.compute(rewards, new int[g], config.scaleAdvantagesByStd(), 1e-6)
                .advantages();
        if (allEqual(rewards)) {
          uniform++;
          continue;
        }
        mixed++;
        trajectories += g;
        int index = from + q;
        List<AnglePair> own =
            measure(index, chunk.get(q).id(), group, adv, missing, zero, groupSums, roleSums);
        pairs.addAll(own);
        perQuery.add(QueryAngles.of(index, chunk.get(q).id(), mean, g, own));
      }
      int done = Math.min(queries.size(), from + config.queriesPerRollout());
      LOG.info(
          "gradient probe: {}/{} queries, {} mixed-reward groups, {} angles, {} s",
          done,
          queries.size(),
          mixed,
          pairs.size(),
          Math.round((System.nanoTime() - t0) / 1e9));
    }
    ProbeCounts counts =
        new ProbeCounts(
            queries.size(), mixed, uniform, trajectories, missing[0], missing[1], zero[0]);
    if (mixed == 0) {
      throw new IllegalStateException(
          "no query had mixed rewards (all "
              + queries.size()
              + " groups of "
              + g
              + " were all-correct or all-wrong), so every GRPO advantage is 0 and there is no"
              + " gradient to measure; use more queries, a larger group or a better-trained model");
    }
    if (pairs.stream().noneMatch(p -> p.kind() == PairKind.INTER_ROLE)) {
      throw new IllegalStateException(
          "no trajectory of the "
              + mixed
              + " mixed-reward groups had both reasoning and tool tokens ("
              + counts.missingTool()
              + " of "
              + trajectories
              + " never searched): there is no inter-role angle to measure");
    }
    ProbeResult perTrajectory =
        ProbeStatistics.summarize(
            config,
            policy.method().name(),
            layout.names(),
            layout.totalSize(),
            counts,
            perQuery,
            pairs);
    if (batch == null) {
      return new ProbeRun(perTrajectory, null, null);
    }
    BatchProbeResult b = null;
    String error = null;
    try {
      long t1 = System.nanoTime();
      b = BatchSplitAngles.analyze(groupSums, policy.method().name(), batch);
      LOG.info(
          "batch probe: {} groups, {} splits, {} s",
          groupSums.size(),
          batch.splits(),
          Math.round((System.nanoTime() - t1) / 1e9));
    } catch (IllegalStateException e) {
      LOG.warn("batch probe: {}", e.getMessage());
      error = e.getMessage();
    }
    if (roleSums == null) {
      return new ProbeRun(perTrajectory, b, error);
    }
    try {
      RolePairResult rolePairs =
          RolePairAngles.analyze(roleSums, roles(), policy.method().name(), batch);
      return new ProbeRun(perTrajectory, b, error, rolePairs, null);
    } catch (IllegalStateException e) {
      LOG.warn("role-pair probe: {}", e.getMessage());
      return new ProbeRun(perTrajectory, b, error, null, e.getMessage());
    }
  }

  /**
   * The role gradients of every trajectory of one group, and all their angles; with {@code sums}
   * not null, also the group's summed role gradients (appended to {@code sums}); with {@code
   * roleSums} not null, the group's summed gradients of reasoning and of each tool.
   */
  private List<AnglePair> measure(
      int query,
      String id,
      List<Trajectory> group,
      float[] adv,
      int[] missing,
      int[] zero,
      List<GroupRoleGradients> sums,
      List<GroupRoleSums> roleSums) {
    List<FlatGradient> reas = new ArrayList<>();
    List<FlatGradient> tool = new ArrayList<>();
    int tools = 1 + extraTools.size();
    List<List<FlatGradient>> perTool = new ArrayList<>();
    for (int k = 0; k < tools; k++) {
      perTool.add(new ArrayList<>());
    }
    for (int i = 0; i < group.size(); i++) {
      RoleGradients rg = gradients(group.get(i), adv[i]);
      missing[0] += rg.reasoningTokens() == 0 ? 1 : 0;
      missing[1] += rg.toolTokens() == 0 ? 1 : 0;
      reas.add(usable(rg.reasoning(), zero));
      tool.add(usable(rg.tool(), zero));
      if (roleSums != null) {
        int[] notCounted = new int[1]; // the two-role counts above already saw these tokens
        for (int k = 0; k < tools; k++) {
          perTool.get(k).add(usable(toolGradient(group.get(i), adv[i], k), notCounted));
        }
      }
    }
    if (roleSums != null) {
      List<FlatGradient> byRole = new ArrayList<>();
      int[] counts = new int[1 + tools];
      byRole.add(FlatGradient.sum(layout, reas));
      counts[0] = (int) reas.stream().filter(Objects::nonNull).count();
      for (int k = 0; k < tools; k++) {
        byRole.add(FlatGradient.sum(layout, perTool.get(k)));
        counts[1 + k] = (int) perTool.get(k).stream().filter(Objects::nonNull).count();
      }
      roleSums.add(new GroupRoleSums(query, id, byRole, counts));
    }
    if (sums != null) {
      sums.add(
          new GroupRoleGradients(
              query,
              id,
              FlatGradient.sum(layout, reas),
              FlatGradient.sum(layout, tool),
              (int) reas.stream().filter(Objects::nonNull).count(),
              (int) tool.stream().filter(Objects::nonNull).count()));
    }
    return GroupAngles.pairs(query, reas, tool);
  }

  private static FlatGradient usable(FlatGradient g, int[] zero) {
    if (g == null) {
      return null;
    }
    if (!g.isUsable()) {
      zero[0]++;
      return null;
    }
    return g;
  }

  /**
   * The reasoning-token and tool-token gradients of one trajectory with advantage {@code
   * advantage}: two forwards and two backward passes, each into freshly zeroed buffers.
   */
  public RoleGradients gradients(Trajectory t, float advantage) {
    return backward.roles(t, advantage);
  }

  private FlatGradient toolGradient(Trajectory t, float advantage, int k) {
    return backward.tool(t, advantage, k);
  }

  private double score(QaExample ex, Trajectory t) {
    return reward.score(t.rewardInput(ex)).reward();
  }

  private static boolean allEqual(double[] x) {
    for (double v : x) {
      if (v != x[0]) {
        return false;
      }
    }
    return true;
  }

  /** Frees the gradient buffers (the policy stays open). */
  @Override
  public void close() {
    backward.close();
  }

  /**
   * Builder (generated); {@code setX} are required (build throws {@link IllegalStateException}
   * naming a missing one), {@code optX} optional.
   */
  @AutoBuilder
  public interface Builder {
    /** The policy whose trainable parameters the gradients cover (LORA or FULL, typically). */
    Builder setPolicy(Policy p);

    /** Turns token ids into text and back. */
    Builder setTokenizer(TextTokenizer t);

    /** What {@code <search>} queries. */
    Builder setRetriever(Retriever r);

    /** The prompt each query is put in (default Search-R1's). */
    Builder optTemplate(PromptTemplate t);

    /** Rollout limits and sampling; its temperature is also the one of log π in the losses. */
    Builder optRollout(RolloutConfig c);

    /** The outcome reward (default: EM, truncated = 0). */
    Builder optReward(RewardFunction r);

    /** Queries, group size, targets (default {@link ProbeConfig#defaults()}). */
    Builder optConfig(ProbeConfig c);

    /**
     * Tools beside search, in span order (default none); the policy's router must route their
     * spans. With any, the batch level also measures every pair of roles.
     */
    Builder optExtraTools(List<Tool> t);

    /** The probe; refuses a policy with nothing to train. */
    GradientAngleProbe build();
  }
}
