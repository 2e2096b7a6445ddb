package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.tool.ToolEnvironment;
import io.github.dartrl.grpo.tool.TurnOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The multi-turn rollout loop (Search-R1's protocol, for any {@link ToolEnvironment}), the one
 * engine of every case: a single routed policy (DART, LORA, FULL), two hand-off lanes (2-Agent, the
 * LEAS hybrids) and evaluation (greedy sampling).
 *
 * <p>G completions for each of a batch of questions run on batched KV caches: sample until a
 * closing tag, the answer's closing tag, EOS or the turn's token limit; the environment judges the
 * turn and runs every tool call of the turn in one batch per tool; each observation is appended as
 * OBSERVATION tokens; after the last tool call, one final turn in which no tool runs.
 *
 * <p>The role of every sampled token comes from the router (one state per row, shared by the
 * lanes): the opening tag is REASONING, the call text and the closing tag TOOL; an environment
 * chunk ends the router's run (and closes a span left open). With one lane the adapter at each
 * position follows the role through the lane's map, so a training forward over the trajectory
 * reproduces the recorded log-probs. With two lanes, lane 0 samples REASONING tokens and lane 1
 * TOOL tokens, each on its own KV cache: before a lane samples for a row it catches up on what it
 * has not read (the other lane's tokens, observations) through a prefill that carries no training
 * role. Rows then advance one token per step, each from the lane of its next role.
 */
public final class RolloutEngine implements Rollouts {
  /** Salt of the second lane's sampling streams, so the two lanes draw independently. */
  static final long LANE_SEED_SALT = 0x6A09E667F3BCC909L;

  private final List<Lane> lanes;
  private final TokenRouter router;
  private final ToolEnvironment environment;
  private final TextTokenizer tokenizer;
  private final PromptTemplate template;
  private final RolloutConfig config;
  private final Set<Long> eos;

  /** A single routed policy with Search-R1's search over {@code retriever}. */
  public RolloutEngine(
      Policy policy,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig config) {
    this(
        List.of(Lane.of("policy", policy)),
        policy.router(),
        config.searchEnvironment(retriever, tokenizer),
        tokenizer,
        template,
        config);
  }

  /**
   * The general form.
   *
   * @param lanes one lane (a routed policy) or two (REASONING sampled by the first, TOOL by the
   *     second; their maps must be uniform, as each computes alike at every position)
   * @param router decides the role of every sampled token; it must route every tool's span
   * @param environment the tools, answer span, corrective message and turn limits
   * @param config token limits and sampling
   */
  public RolloutEngine(
      List<Lane> lanes,
      TokenRouter router,
      ToolEnvironment environment,
      TextTokenizer tokenizer,
      PromptTemplate template,
      RolloutConfig config) {
    if (lanes.isEmpty() || lanes.size() > 2) {
      throw new IllegalArgumentException("need one or two lanes, got " + lanes.size());
    }
    if (lanes.size() == 2) {
      if (router.spans().size() > 1) {
        // lane 1 samples every TOOL token: with several tools they would all share one model
        throw new IllegalArgumentException(
            "hand-off lanes (2-Agent, the LEAS hybrids) support one tool; the router routes "
                + router.spans().size()
                + " tool spans "
                + router.spans()
                + ": use DART with one adapter per tool");
      }
      for (Lane l : lanes) {
        if (!l.map().isUniform()) {
          throw new IllegalArgumentException(
              "a hand-off lane computes alike at every position; " + l.name() + " maps " + l.map());
        }
      }
      if (lanes.get(0).model().config().vocabSize() != lanes.get(1).model().config().vocabSize()) {
        throw new IllegalArgumentException(
            lanes.get(0).name() + " and " + lanes.get(1).name() + " have different vocabularies");
      }
    }
    for (var span : environment.spans()) {
      if (!router.spans().contains(span)) {
        throw new IllegalArgumentException(
            "the router does not route the tool span "
                + span
                + " (it routes "
                + router.spans()
                + ")");
      }
    }
    this.lanes = List.copyOf(lanes);
    this.router = router;
    this.environment = Objects.requireNonNull(environment, "environment");
    this.tokenizer = tokenizer;
    this.template = template;
    this.config = config;
    this.eos = Arrays.stream(tokenizer.eosTokenIds()).boxed().collect(Collectors.toSet());
  }

  /**
   * The 2-Agent baseline: two independent models, the reasoner samples REASONING tokens, the tool
   * agent TOOL tokens, each with its own KV cache.
   */
  public static RolloutEngine twoAgent(
      Policy reasoner,
      Policy tool,
      ToolEnvironment environment,
      TextTokenizer tokenizer,
      PromptTemplate template,
      RolloutConfig config) {
    if (reasoner.model() == tool.model()) {
      throw new IllegalArgumentException("the two agents must be independent models");
    }
    return new RolloutEngine(
        List.of(Lane.of("reasoner", reasoner), Lane.of("tool agent", tool)),
        reasoner.router(),
        environment,
        tokenizer,
        template,
        config);
  }

  /**
   * The engine of a run: one routed policy ({@code toolAgent} null) or the 2-Agent hand-off, over
   * search on {@code retriever} followed by {@code extraTools}.
   */
  public static RolloutEngine of(
      Policy policy,
      Policy toolAgent,
      TextTokenizer tokenizer,
      Retriever retriever,
      List<io.github.dartrl.grpo.tool.Tool> extraTools,
      PromptTemplate template,
      RolloutConfig config) {
    ToolEnvironment env = config.searchEnvironment(retriever, tokenizer, extraTools);
    return toolAgent == null
        ? new RolloutEngine(
            List.of(Lane.of("policy", policy)), policy.router(), env, tokenizer, template, config)
        : twoAgent(policy, toolAgent, env, tokenizer, template, config);
  }

  /** The 2-Agent baseline with Search-R1's search over {@code retriever}. */
  public static RolloutEngine twoAgent(
      Policy reasoner,
      Policy tool,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig config) {
    return twoAgent(
        reasoner,
        tool,
        config.searchEnvironment(retriever, tokenizer),
        tokenizer,
        template,
        config);
  }

  public RolloutConfig config() {
    return config;
  }

  public ToolEnvironment environment() {
    return environment;
  }

  /** Token ids of the prompt for a question. */
  public long[] promptTokens(String question) {
    return tokenizer.encode(template.apply(question));
  }

  /**
   * Rolls out {@code groupSize} completions for each question. Row {@code i * groupSize + j} is
   * completion j of question i; its group id is i.
   *
   * @param seed sampling seed (each row draws from its own stream derived from it)
   */
  @Override
  public List<Trajectory> rollout(List<String> questions, int groupSize, long seed) {
    return rollout(questions, groupSize, seed, 0);
  }

  /**
   * Like {@link #rollout(List, int, long)} for rows {@code firstRow..} of a larger batch: row r
   * here samples from the stream of row {@code firstRow + r} there, so a batch split into parts
   * (the partitions of a distributed step) samples what the whole batch samples.
   */
  public List<Trajectory> rollout(List<String> questions, int groupSize, long seed, long firstRow) {
    if (questions.isEmpty() || groupSize <= 0) {
      throw new IllegalArgumentException("need at least one question and groupSize > 0");
    }
    int rows = questions.size() * groupSize;
    List<long[]> prompts = new ArrayList<>();
    List<TrajectoryRecorder> state = new ArrayList<>();
    int longestPrompt = 0;
    for (int i = 0; i < questions.size(); i++) {
      long[] p = promptTokens(questions.get(i));
      longestPrompt = Math.max(longestPrompt, p.length);
      for (int j = 0; j < groupSize; j++) {
        prompts.add(p);
        state.add(new TrajectoryRecorder(i, p));
      }
    }
    int capacity = capacity(longestPrompt);
    TokenRouter.State[] routes = new TokenRouter.State[rows];
    for (int r = 0; r < rows; r++) {
      routes[r] = router.newState();
    }
    List<LaneRun> runs = new ArrayList<>();
    try {
      for (int li = 0; li < lanes.size(); li++) {
        runs.add(
            new LaneRun(
                lanes.get(li),
                prompts,
                capacity,
                routes,
                params(
                    DecodeSession.seedForRowsFrom(
                        li == 0 ? seed : seed ^ LANE_SEED_SALT, firstRow)),
                tokenizer.padTokenId()));
      }
      for (int turn = 0; turn <= environment.maxTurns(); turn++) {
        boolean[] active = new boolean[rows];
        boolean any = false;
        for (int r = 0; r < rows; r++) {
          active[r] = !state.get(r).done;
          any |= active[r];
          if (active[r]) {
            state.get(r).startTurn();
          }
        }
        if (!any) {
          break;
        }
        FinishReason[] how =
            runs.size() == 1
                ? wholeTurn(runs.get(0), active, state)
                : stepped(runs, routes, active, state);
        String[] text = new String[rows];
        for (int r = 0; r < rows; r++) {
          text[r] = active[r] ? tokenizer.decode(state.get(r).turnTokens()) : null;
        }
        List<TurnOutcome> outcomes =
            environment.step(active, text, how, turn == environment.maxTurns());
        long[][] chunks = new long[rows][];
        boolean anyChunk = false;
        for (int r = 0; r < rows; r++) {
          if (outcomes.get(r) != null) {
            chunks[r] = state.get(r).apply(outcomes.get(r));
          }
          if (chunks[r] != null) {
            state.get(r).addObservation(chunks[r]);
            routes[r].given(); // the environment spoke: the router's run ends
            anyChunk = true;
          }
        }
        if (anyChunk) {
          if (runs.size() == 1) {
            runs.get(0).session.append(Arrays.asList(chunks), TokenRole.OBSERVATION);
          } else {
            for (LaneRun run : runs) {
              run.readObservations(chunks, state);
            }
          }
        }
      }
    } finally {
      runs.forEach(LaneRun::close);
    }
    List<Trajectory> result = new ArrayList<>();
    for (TrajectoryRecorder s : state) {
      result.add(s.toTrajectory(tokenizer));
    }
    return result;
  }

  /**
   * KV slots per cache, after checking the budget against every lane's max positions. Hand-off
   * lanes get one more turn's worth per turn: their catch-up prefills pad to the longest row.
   */
  private int capacity(int longestPrompt) {
    int obsSlots = environment.observationSlots();
    int turns = environment.maxTurns();
    int turnSlots = (turns + 1) * (config.maxTurnTokens() + 1);
    int needed = longestPrompt + (turns + 1) * config.maxTurnTokens() + turns * obsSlots;
    for (Lane l : lanes) {
      int max = l.model().config().maxPositions();
      if (needed > max) {
        throw new IllegalArgumentException(
            "rollout budget (prompt "
                + longestPrompt
                + " + turns and observations) exceeds "
                + (lanes.size() == 1 ? "the model" : l.name())
                + "'s max_position_embeddings "
                + max
                + "; lower maxTurnTokens or maxObservationTokens");
      }
    }
    int capacity = longestPrompt + turnSlots + turns * obsSlots;
    return lanes.size() == 1 ? capacity : capacity + turnSlots;
  }

  private SamplingParams params(long seed) {
    if (lanes.size() == 1) {
      return new SamplingParams(
          config.temperature(),
          0,
          config.topP(),
          config.maxTurnTokens(),
          environment.stopStrings(),
          eos,
          seed);
    }
    // one token per call; the engine applies the stop rules on the turn's text
    return new SamplingParams(config.temperature(), 0, config.topP(), 1, List.of(), Set.of(), seed);
  }

  /** One lane: the whole turn in one call, the session applying the stop rules. */
  private FinishReason[] wholeTurn(LaneRun run, boolean[] active, List<TrajectoryRecorder> state) {
    List<Generation> out = run.session.generate(run.params, active, tokenizer);
    FinishReason[] how = new FinishReason[active.length];
    for (int r = 0; r < active.length; r++) {
      if (active[r]) {
        state.get(r).addSampled(out.get(r));
        how[r] = out.get(r).finishReason();
      }
    }
    return how;
  }

  /**
   * Hand-off lanes: one token per row per step, each from the lane of the row's next role (lane 1
   * samples TOOL tokens, lane 0 the others).
   */
  private FinishReason[] stepped(
      List<LaneRun> runs,
      TokenRouter.State[] routes,
      boolean[] active,
      List<TrajectoryRecorder> state) {
    int rows = active.length;
    boolean[] running = active.clone();
    FinishReason[] how = new FinishReason[rows];
    TurnStops stops = new TurnStops(environment.stopStrings(), eos, config.maxTurnTokens(), rows);
    boolean any = true;
    while (any) {
      // decide every row's lane before any samples: one token per row per step
      int[] laneOf = new int[rows];
      for (int r = 0; r < rows; r++) {
        laneOf[r] = !running[r] ? -1 : routes[r].nextRole() == TokenRole.TOOL ? 1 : 0;
      }
      for (int li = 0; li < runs.size(); li++) {
        LaneRun run = runs.get(li);
        boolean[] here = new boolean[rows];
        boolean some = false;
        for (int r = 0; r < rows; r++) {
          here[r] = laneOf[r] == li;
          some |= here[r];
        }
        if (!some) {
          continue;
        }
        run.catchUp(state, here);
        List<Generation> out = run.session.generate(run.params, here, tokenizer);
        for (int r = 0; r < rows; r++) {
          if (!here[r]) {
            continue;
          }
          TrajectoryRecorder row = state.get(r);
          Generation g = out.get(r);
          row.addSampled(g.tokens()[0], g.roleCodes()[0], g.logProbs()[0]);
          run.caughtUp(r, row);
          FinishReason done = stops.check(row, r, tokenizer);
          if (done == null && run.session.remainingCapacity() == 0) {
            done = FinishReason.LENGTH;
          }
          if (done != null) {
            running[r] = false;
            how[r] = done;
          }
        }
      }
      any = false;
      for (boolean b : running) {
        any |= b;
      }
    }
    return how;
  }
}
