package io.github.dartrl.leas.variant;

import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.rollout.Action;
import io.github.dartrl.grpo.rollout.ObservationFormatter;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.ResponseText;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Search-R1 rollouts (the protocol of {@link io.github.dartrl.grpo.rollout.RolloutEngine}) in which
 * the REASONING tokens are sampled from one {@link Generator} and the TOOL tokens from another.
 *
 * <p>The role of the next token is the router's state (paper v2 Eq. 2), shared per row by both
 * generators: the reasoning generator samples until it has written the opening tag, the tool
 * generator then writes the query and the closing tag. Rows advance one token per step, each step
 * sampling every row from the generator of its next role; a turn ends, as in the single-model
 * engine, at {@code </search>}, {@code </answer>}, EOS or the turn's token limit.
 *
 * <p>With {@link HybridMode#HANDOFF} each generator keeps its own KV cache of the whole context:
 * before it samples for a row, it prefills the tokens the other generator produced since it last
 * saw the row (for all rows that lag, in one batched forward, which bounds the cache to about twice
 * the single-model size); observations are appended to both caches. With {@link HybridMode#ROUTED}
 * one cache serves both, with the adapter switched per position.
 *
 * <p>When both generators have the same weights this is a single model: one cache, no catch-up, and
 * the trajectories are identical, token for token and log-prob for log-prob, to those of {@code
 * RolloutEngine} with a policy using that adapter everywhere (a test checks this). Log-probs are
 * always those of the generator that sampled the token.
 */
public final class VariantRolloutEngine {
  /** Salt of the tool generator's sampling streams, so the two generators draw independently. */
  private static final long TOOL_SEED_SALT = 0x6A09E667F3BCC909L;

  private final Generator reasoning;
  private final Generator tool;
  private final HybridMode mode;
  private final TokenRouter router;
  private final TextTokenizer tokenizer;
  private final Retriever retriever;
  private final PromptTemplate template;
  private final RolloutConfig config;
  private final Action.Parser parser;
  private final ObservationFormatter observations;
  private final long[] invalidMessage;
  private final Set<Long> eos;

  /**
   * @param reasoning samples the REASONING tokens
   * @param tool samples the TOOL tokens
   * @param mode how a hybrid runs (ignored when both generators have the same weights)
   * @param router decides the role of every sampled token (its spans must match the rollout's)
   */
  public VariantRolloutEngine(
      Generator reasoning,
      Generator tool,
      HybridMode mode,
      TokenRouter router,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig config) {
    this.reasoning = reasoning;
    this.tool = tool;
    this.mode = mode;
    this.router = router;
    this.tokenizer = tokenizer;
    this.retriever = retriever;
    this.template = template;
    this.config = config;
    if (mode == HybridMode.ROUTED
        && !reasoning.sameWeights(tool)
        && reasoning.model() != tool.model()) {
      throw new IllegalArgumentException(
          "ROUTED hybrids need both generators on one backbone; "
              + reasoning.name()
              + " and "
              + tool.name()
              + " are different models (use HANDOFF)");
    }
    if (reasoning.model().config().vocabSize() != tool.model().config().vocabSize()) {
      throw new IllegalArgumentException(
          reasoning.name() + " and " + tool.name() + " have different vocabularies");
    }
    this.parser =
        new Action.Parser(
            config.search().open(),
            config.search().close(),
            config.answer().open(),
            config.answer().close());
    this.observations = new ObservationFormatter(tokenizer, config.maxObservationTokens());
    this.invalidMessage = observations.message(config.invalidActionMessage());
    this.eos = Arrays.stream(tokenizer.eosTokenIds()).boxed().collect(Collectors.toSet());
  }

  /** True if the two generators have different weights (a real hybrid). */
  public boolean isHybrid() {
    return !reasoning.sameWeights(tool);
  }

  /**
   * Rolls out {@code groupSize} completions for each question; row {@code i * groupSize + j} is
   * completion j of question i (group id i), as in {@code RolloutEngine}.
   */
  public List<Trajectory> rollout(List<String> questions, int groupSize, long seed) {
    if (questions.isEmpty() || groupSize <= 0) {
      throw new IllegalArgumentException("need at least one question and groupSize > 0");
    }
    int rows = questions.size() * groupSize;
    List<long[]> prompts = new ArrayList<>();
    List<Row> state = new ArrayList<>();
    int longestPrompt = 0;
    for (int i = 0; i < questions.size(); i++) {
      long[] p = tokenizer.encode(template.apply(questions.get(i)));
      longestPrompt = Math.max(longestPrompt, p.length);
      for (int j = 0; j < groupSize; j++) {
        prompts.add(p);
        state.add(new Row(i, p));
      }
    }
    int obsSlots = Math.max(config.maxObservationTokens(), invalidMessage.length) + 1;
    int turnSlots = (config.maxTurns() + 1) * (config.maxTurnTokens() + 1);
    int capacity = longestPrompt + turnSlots + config.maxTurns() * obsSlots;
    int needed =
        longestPrompt
            + (config.maxTurns() + 1) * config.maxTurnTokens()
            + config.maxTurns() * obsSlots;
    for (Generator g : List.of(reasoning, tool)) {
      if (needed > g.model().config().maxPositions()) {
        throw new IllegalArgumentException(
            "rollout budget (prompt "
                + longestPrompt
                + " + turns and observations) exceeds "
                + g.name()
                + "'s max_position_embeddings "
                + g.model().config().maxPositions()
                + "; lower maxTurnTokens or maxObservationTokens");
      }
    }
    TokenRouter.State[] routes = new TokenRouter.State[rows];
    for (int r = 0; r < rows; r++) {
      routes[r] = router.newState();
    }
    List<Lane> lanes = new ArrayList<>();
    try {
      if (!isHybrid()) {
        lanes.add(
            new Lane(
                reasoning.model(),
                RoleAdapterMap.uniform(reasoning.adapter()),
                prompts,
                capacity,
                routes,
                seed));
      } else if (mode == HybridMode.ROUTED) {
        lanes.add(
            new Lane(
                reasoning.model(),
                RoleAdapterMap.split(reasoning.adapter(), tool.adapter()),
                prompts,
                capacity,
                routes,
                seed));
      } else {
        // catch-up prefills at most one turn's tokens per turn on top of the single-model budget
        int laneCapacity = capacity + turnSlots;
        lanes.add(
            new Lane(
                reasoning.model(),
                RoleAdapterMap.uniform(reasoning.adapter()),
                prompts,
                laneCapacity,
                routes,
                seed));
        lanes.add(
            new Lane(
                tool.model(),
                RoleAdapterMap.uniform(tool.adapter()),
                prompts,
                laneCapacity,
                routes,
                seed ^ TOOL_SEED_SALT));
      }
      for (int turn = 0; turn <= config.maxTurns(); turn++) {
        if (!runTurn(state, lanes, routes, turn == config.maxTurns())) {
          break;
        }
      }
    } finally {
      for (Lane l : lanes) {
        l.session.close();
      }
    }
    List<Trajectory> result = new ArrayList<>();
    for (Row s : state) {
      result.add(s.toTrajectory(tokenizer));
    }
    return result;
  }

  /** One turn for every unfinished row; false if no row was active. */
  private boolean runTurn(
      List<Row> state, List<Lane> lanes, TokenRouter.State[] routes, boolean finalTurn) {
    int rows = state.size();
    boolean[] running = new boolean[rows];
    boolean any = false;
    for (int r = 0; r < rows; r++) {
      running[r] = !state.get(r).done;
      any |= running[r];
      if (running[r]) {
        state.get(r).startTurn();
      }
    }
    if (!any) {
      return false;
    }
    FinishReason[] reasons = new FinishReason[rows];
    int[] checkedChars = new int[rows];
    List<String> stops = List.of(config.search().close(), config.answer().close());
    while (any) {
      // decide every row's generator before any samples: one token per row per step
      int[] laneOf = new int[rows];
      for (int r = 0; r < rows; r++) {
        laneOf[r] = running[r] ? laneFor(routes[r].nextRole(), lanes.size()) : -1;
      }
      for (int li = 0; li < lanes.size(); li++) {
        Lane lane = lanes.get(li);
        boolean[] here = new boolean[rows];
        boolean some = false;
        for (int r = 0; r < rows; r++) {
          here[r] = laneOf[r] == li;
          some |= here[r];
        }
        if (!some) {
          continue;
        }
        lane.catchUp(state, here);
        List<Generation> out = lane.session.generate(lane.params, here, tokenizer);
        for (int r = 0; r < rows; r++) {
          if (!here[r]) {
            continue;
          }
          Row row = state.get(r);
          Generation g = out.get(r);
          row.addSampled(g.tokens()[0], g.roles()[0], g.logProbs()[0]);
          lane.seen[r] = row.length;
          FinishReason done = finish(row, stops, checkedChars, r);
          if (done == null && lane.session.remainingCapacity() == 0) {
            done = FinishReason.LENGTH;
          }
          if (done != null) {
            running[r] = false;
            reasons[r] = done;
          }
        }
      }
      any = false;
      for (boolean b : running) {
        any |= b;
      }
    }
    endTurn(state, lanes, routes, reasons, finalTurn);
    return true;
  }

  /** The same stop rules as {@link DecodeSession}: EOS, then stop strings, then the length. */
  private FinishReason finish(Row row, List<String> stops, int[] checkedChars, int r) {
    long token = row.tokens[row.length - 1];
    if (eos.contains(token)) {
      return FinishReason.EOS;
    }
    String text = tokenizer.decode(row.turnTokens());
    for (String s : stops) {
      if (text.indexOf(s, Math.max(0, checkedChars[r] - s.length() + 1)) >= 0) {
        return FinishReason.STOP;
      }
    }
    checkedChars[r] = text.length();
    return row.length - row.turnStart >= config.maxTurnTokens() ? FinishReason.LENGTH : null;
  }

  /** Parses each row's turn, runs the searches, appends observations (Search-R1 semantics). */
  private void endTurn(
      List<Row> state,
      List<Lane> lanes,
      TokenRouter.State[] routes,
      FinishReason[] reasons,
      boolean finalTurn) {
    int rows = state.size();
    long[][] chunks = new long[rows][];
    List<String> queries = new ArrayList<>();
    List<Integer> queryRows = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Row s = state.get(r);
      if (reasons[r] == null) {
        continue; // was not active this turn
      }
      Action a = parser.parse(tokenizer.decode(s.turnTokens()));
      if (a.kind() == Action.Kind.ANSWER) {
        s.valid++;
        s.finish(Trajectory.End.ANSWER, false);
      } else if (a.kind() == Action.Kind.SEARCH && !finalTurn) {
        s.valid++;
        queries.add(a.content());
        queryRows.add(r);
      } else if (finalTurn) {
        if (a.kind() == Action.Kind.SEARCH) {
          s.valid++;
        } else {
          s.invalid++;
        }
        boolean cut = reasons[r] == FinishReason.LENGTH;
        s.finish(cut ? Trajectory.End.LENGTH : Trajectory.End.MAX_TURNS, cut);
      } else {
        s.invalid++;
        chunks[r] = invalidMessage;
      }
    }
    if (!queries.isEmpty()) {
      List<List<Passage>> results = retriever.search(queries, config.topK());
      if (results.size() != queries.size()) {
        throw new IllegalStateException(
            "retriever returned "
                + results.size()
                + " result lists for "
                + queries.size()
                + " queries");
      }
      for (int k = 0; k < queries.size(); k++) {
        int r = queryRows.get(k);
        state.get(r).searched(queries.get(k), results.get(k));
        chunks[r] = observations.tokens(results.get(k));
      }
    }
    boolean anyChunk = false;
    for (int r = 0; r < rows; r++) {
      if (chunks[r] != null) {
        state.get(r).addObservation(chunks[r]);
        routes[r].given();
        anyChunk = true;
      }
    }
    if (anyChunk) {
      for (Lane lane : lanes) {
        List<long[]> feed = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          feed.add(chunks[r] == null ? null : lane.pending(state.get(r), r));
        }
        lane.append(feed, state);
      }
    }
  }

  /** Lane 0 (the reasoning generator, or the only one) or lane 1 (the tool generator). */
  private static int laneFor(TokenRole nextRole, int lanes) {
    return lanes == 2 && nextRole == TokenRole.TOOL ? 1 : 0;
  }

  /** One KV cache with its adapter map and how far it has read each row. */
  private final class Lane {
    final DecodeSession session;
    final SamplingParams params;
    final int[] seen; // tokens of each row this cache holds (its held last token included)

    Lane(
        DecoderModel model,
        RoleAdapterMap map,
        List<long[]> prompts,
        int capacity,
        TokenRouter.State[] routes,
        long seed) {
      this.session = new DecodeSession(model, prompts, capacity, new LaneSchedule(map, routes));
      tokenizer.padTokenId().ifPresent(session::setPadId);
      // one token per call; stop rules are applied by the engine on the turn's text
      this.params =
          new SamplingParams(config.temperature(), 0, config.topP(), 1, List.of(), Set.of(), seed);
      this.seen = new int[prompts.size()];
      for (int r = 0; r < seen.length; r++) {
        seen[r] = prompts.get(r).length;
      }
    }

    /** Tokens of a row this cache has not read yet. */
    long[] pending(Row row, int r) {
      return Arrays.copyOfRange(row.tokens, seen[r], row.length);
    }

    /**
     * If a row about to sample here lags, prefills every lagging unfinished row (so later catch-ups
     * stay short).
     */
    void catchUp(List<Row> state, boolean[] here) {
      boolean needed = false;
      for (int r = 0; r < here.length; r++) {
        needed |= here[r] && seen[r] < state.get(r).length;
      }
      if (!needed) {
        return;
      }
      List<long[]> feed = new ArrayList<>();
      for (int r = 0; r < here.length; r++) {
        Row row = state.get(r);
        feed.add(!row.done && seen[r] < row.length ? pending(row, r) : null);
      }
      append(feed, state);
    }

    void append(List<long[]> feed, List<Row> state) {
      int longest = feed.stream().mapToInt(c -> c == null ? 0 : c.length).max().orElse(0);
      if (longest + 1 > session.remainingCapacity()) {
        throw new IllegalStateException(
            "hybrid KV cache exhausted ("
                + session.remainingCapacity()
                + " slots left, "
                + (longest + 1)
                + " needed); this is a bug in the capacity bound");
      }
      // the role of given tokens only selects the adapter, and this lane's map is uniform
      session.append(feed, TokenRole.OBSERVATION);
      for (int r = 0; r < feed.size(); r++) {
        if (feed.get(r) != null) {
          seen[r] = state.get(r).length;
        }
      }
    }
  }

  /**
   * The adapter schedule of one lane: its role map, with the role of the next sampled token taken
   * from the row's shared router state (advanced only by the lane that samples; given tokens —
   * catch-up and observations — do not move it, the engine ends the router's run at each
   * observation itself).
   */
  private record LaneSchedule(RoleAdapterMap map, TokenRouter.State[] routes)
      implements AdapterSchedule {
    @Override
    public int beforeGiven(int row, TokenRole role) {
      return map.adapterFor(role);
    }

    @Override
    public int beforeSampled(int row) {
      return map.adapterFor(routes[row].nextRole());
    }

    @Override
    public TokenRole nextSampledRole(int row) {
      return routes[row].nextRole();
    }

    @Override
    public void sampled(int row, long token) {
      routes[row].sampled(token);
    }

    @Override
    public void given(int row, long[] tokens, TokenRole role) {}
  }

  /** What one row has accumulated so far. */
  private static final class Row {
    final int task;
    final int promptLength;
    long[] tokens;
    int[] roles;
    float[] logProbs;
    int length;
    int turnStart;
    final List<String> queries = new ArrayList<>();
    final List<List<Passage>> passages = new ArrayList<>();
    int turns;
    int valid;
    int invalid;
    boolean done;
    boolean truncated;
    Trajectory.End end = Trajectory.End.MAX_TURNS;

    Row(int task, long[] prompt) {
      this.task = task;
      this.promptLength = prompt.length;
      this.tokens = Arrays.copyOf(prompt, prompt.length + 64);
      this.roles = new int[tokens.length];
      this.logProbs = new float[tokens.length];
      Arrays.fill(roles, 0, prompt.length, TokenRole.PROMPT.code());
      Arrays.fill(logProbs, 0, prompt.length, Float.NaN);
      this.length = prompt.length;
    }

    void startTurn() {
      turns++;
      turnStart = length;
    }

    long[] turnTokens() {
      return Arrays.copyOfRange(tokens, turnStart, length);
    }

    private void grow(int extra) {
      if (length + extra > tokens.length) {
        int n = Math.max(tokens.length * 2, length + extra);
        tokens = Arrays.copyOf(tokens, n);
        roles = Arrays.copyOf(roles, n);
        logProbs = Arrays.copyOf(logProbs, n);
      }
    }

    void addSampled(long token, TokenRole role, float logProb) {
      grow(1);
      tokens[length] = token;
      roles[length] = role.code();
      logProbs[length] = logProb;
      length++;
    }

    void addObservation(long[] ids) {
      grow(ids.length);
      System.arraycopy(ids, 0, tokens, length, ids.length);
      Arrays.fill(roles, length, length + ids.length, TokenRole.OBSERVATION.code());
      Arrays.fill(logProbs, length, length + ids.length, Float.NaN);
      length += ids.length;
    }

    void searched(String query, List<Passage> found) {
      queries.add(query);
      passages.add(found);
    }

    void finish(Trajectory.End how, boolean cut) {
      done = true;
      end = how;
      truncated = cut;
    }

    Trajectory toTrajectory(TextTokenizer tok) {
      long[] ids = Arrays.copyOf(tokens, length);
      int[] r = Arrays.copyOf(roles, length);
      return new Trajectory(
          task,
          task,
          ids,
          r,
          Arrays.copyOf(logProbs, length),
          promptLength,
          ResponseText.of(ids, r, promptLength, tok),
          turns,
          List.copyOf(queries),
          List.copyOf(passages),
          valid,
          invalid,
          end,
          truncated);
    }
  }
}
