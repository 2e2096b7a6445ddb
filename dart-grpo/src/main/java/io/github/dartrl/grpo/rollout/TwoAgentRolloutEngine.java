package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Retriever;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The 2-Agent baseline of the paper: two independent models, each with its own KV cache. The
 * reasoner writes until it emits the opening tool tag (or an answer); the tool agent then catches
 * up on every token it has not seen (a prefill of just those tokens) and writes the query through
 * the closing tag; the reasoner catches up on the query, the environment appends the observation to
 * both, and so on. Roles are REASONING for the reasoner's tokens and TOOL for the tool agent's,
 * which matches the router's rule at the hand-off points. Same Search-R1 protocol and limits as
 * {@link RolloutEngine}.
 */
public final class TwoAgentRolloutEngine implements Rollouts {
  private final Policy reasoner;
  private final Policy tool;
  private final TextTokenizer tokenizer;
  private final PromptTemplate template;
  private final RolloutConfig config;
  private final SearchEnvironment environment;
  private final Set<Long> eos;

  public TwoAgentRolloutEngine(
      Policy reasoner,
      Policy tool,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig config) {
    if (reasoner.model() == tool.model()) {
      throw new IllegalArgumentException("the two agents must be independent models");
    }
    this.reasoner = reasoner;
    this.tool = tool;
    this.tokenizer = tokenizer;
    this.template = template;
    this.config = config;
    this.environment = new SearchEnvironment(retriever, config, tokenizer);
    this.eos = Arrays.stream(tokenizer.eosTokenIds()).boxed().collect(Collectors.toSet());
  }

  @Override
  public List<Trajectory> rollout(List<String> questions, int groupSize, long seed) {
    if (questions.isEmpty() || groupSize <= 0) {
      throw new IllegalArgumentException("need at least one question and groupSize > 0");
    }
    int rows = questions.size() * groupSize;
    List<long[]> prompts = new ArrayList<>();
    List<TrajectoryRecorder> state = new ArrayList<>();
    int longest = 0;
    for (int i = 0; i < questions.size(); i++) {
      long[] p = tokenizer.encode(template.apply(questions.get(i)));
      longest = Math.max(longest, p.length);
      for (int j = 0; j < groupSize; j++) {
        prompts.add(p);
        state.add(new TrajectoryRecorder(i, p));
      }
    }
    int obsSlots = environment.observationSlots();
    // hand-offs add catch-up forwards: budget two slots per sampled token
    int capacity =
        longest
            + 2 * (config.maxTurns() + 1) * (config.maxTurnTokens() + 2)
            + config.maxTurns() * obsSlots;
    SamplingParams base =
        new SamplingParams(
            config.temperature(), 0, config.topP(), config.maxTurnTokens(), List.of(), eos, seed);
    SamplingParams reasonStops =
        base.withStopStrings(List.of(config.search().open(), config.answer().close()));
    SamplingParams toolStops =
        base.withStopStrings(List.of(config.search().close())).withSeed(seed + 1);
    try (DecodeSession r =
            new DecodeSession(reasoner.model(), prompts, capacity, reasoner.schedule(rows));
        DecodeSession t = new DecodeSession(tool.model(), prompts, capacity, tool.schedule(rows))) {
      tokenizer
          .padTokenId()
          .ifPresent(
              id -> {
                r.setPadId(id);
                t.setPadId(id);
              });
      List<List<Long>> unseenByTool = emptyLists(rows);
      List<List<Long>> unseenByReasoner = emptyLists(rows);
      for (int turn = 0; turn <= config.maxTurns(); turn++) {
        boolean finalTurn = turn == config.maxTurns();
        boolean[] active = new boolean[rows];
        boolean any = false;
        for (int i = 0; i < rows; i++) {
          active[i] = !state.get(i).done;
          any |= active[i];
        }
        if (!any) {
          break;
        }
        StringBuilder[] text = new StringBuilder[rows];
        FinishReason[] how = new FinishReason[rows];
        int[] used = new int[rows];
        for (int i = 0; i < rows; i++) {
          text[i] = new StringBuilder();
        }
        // the reasoner catches up (query tokens of the last hand-off are already appended below)
        List<Generation> rg = r.generate(reasonStops, active, tokenizer);
        boolean[] handOff = new boolean[rows];
        boolean anyHandOff = false;
        for (int i = 0; i < rows; i++) {
          if (!active[i]) {
            continue;
          }
          Generation g = rg.get(i);
          state.get(i).addAgentSegment(g, TokenRole.REASONING, true);
          text[i].append(g.text());
          how[i] = g.finishReason();
          used[i] = g.tokens().length;
          addAll(unseenByTool.get(i), g.tokens());
          handOff[i] =
              config.search().open().equals(g.stopString()) && used[i] < config.maxTurnTokens();
          anyHandOff |= handOff[i];
        }
        if (anyHandOff) {
          t.append(drain(unseenByTool, handOff), TokenRole.OBSERVATION);
          List<Generation> tg = t.generate(toolStops, handOff, tokenizer);
          for (int i = 0; i < rows; i++) {
            if (!handOff[i]) {
              continue;
            }
            Generation g = tg.get(i);
            state.get(i).addAgentSegment(g, TokenRole.TOOL, false);
            text[i].append(g.text());
            how[i] = g.finishReason();
            addAll(unseenByReasoner.get(i), g.tokens());
          }
        }
        String[] turnText = new String[rows];
        for (int i = 0; i < rows; i++) {
          turnText[i] = text[i].toString();
        }
        List<long[]> chunks = environment.step(active, turnText, how, finalTurn, state);
        // both agents see the observation, each after catching up on what the other wrote
        List<long[]> forReasoner = new ArrayList<>();
        List<long[]> forTool = new ArrayList<>();
        boolean anyChunk = false;
        for (int i = 0; i < rows; i++) {
          long[] obs = chunks.get(i);
          if (obs != null) {
            anyChunk = true;
            state.get(i).addObservation(obs);
            forReasoner.add(concat(unseenByReasoner.get(i), obs));
            forTool.add(concat(unseenByTool.get(i), obs));
            unseenByReasoner.get(i).clear();
            unseenByTool.get(i).clear();
          } else {
            forReasoner.add(null);
            forTool.add(null);
          }
        }
        if (anyChunk) {
          r.append(forReasoner, TokenRole.OBSERVATION);
          t.append(forTool, TokenRole.OBSERVATION);
        }
      }
    }
    List<Trajectory> out = new ArrayList<>();
    for (TrajectoryRecorder s : state) {
      out.add(s.toTrajectory(tokenizer));
    }
    return out;
  }

  private static List<List<Long>> emptyLists(int n) {
    List<List<Long>> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(new ArrayList<>());
    }
    return l;
  }

  private static void addAll(List<Long> to, long[] ids) {
    for (long id : ids) {
      to.add(id);
    }
  }

  private static List<long[]> drain(List<List<Long>> pending, boolean[] rows) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i]) {
        out.add(pending.get(i).stream().mapToLong(Long::longValue).toArray());
        pending.get(i).clear();
      } else {
        out.add(null);
      }
    }
    return out;
  }

  private static long[] concat(List<Long> head, long[] tail) {
    long[] out = new long[head.size() + tail.length];
    for (int i = 0; i < head.size(); i++) {
      out[i] = head.get(i);
    }
    System.arraycopy(tail, 0, out, head.size(), tail.length);
    return out;
  }
}
