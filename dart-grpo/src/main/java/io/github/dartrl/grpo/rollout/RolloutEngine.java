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
 * Multi-turn search rollouts (Search-R1 protocol) for a batch of questions, G completions each, on
 * one batched KV cache: sample until {@code </search>}, {@code </answer>}, EOS or the turn limit;
 * run every search of the turn in one retriever call; append each observation as OBSERVATION tokens
 * (a prefill of just those tokens); a turn with neither action gets the corrective message; after
 * {@code maxTurns} tool calls, one final turn in which a search is not run.
 *
 * <p>Roles come from the policy's router as tokens are sampled, and the adapters used while
 * sampling follow them, so a training forward over the trajectory reproduces the recorded
 * log-probs.
 */
public final class RolloutEngine implements Rollouts {
  private final Policy policy;
  private final TextTokenizer tokenizer;
  private final PromptTemplate template;
  private final RolloutConfig config;
  private final SearchEnvironment environment;
  private final Set<Long> eos;

  public RolloutEngine(
      Policy policy,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig config) {
    this.policy = policy;
    this.tokenizer = tokenizer;
    this.template = template;
    this.config = config;
    this.environment = new SearchEnvironment(retriever, config, tokenizer);
    this.eos = Arrays.stream(tokenizer.eosTokenIds()).boxed().collect(Collectors.toSet());
  }

  public RolloutConfig config() {
    return config;
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
    int obsSlots = environment.observationSlots();
    int capacity =
        longestPrompt
            + (config.maxTurns() + 1) * (config.maxTurnTokens() + 1)
            + config.maxTurns() * obsSlots;
    int maxPositions = policy.model().config().maxPositions();
    if (longestPrompt
            + (config.maxTurns() + 1) * config.maxTurnTokens()
            + config.maxTurns() * obsSlots
        > maxPositions) {
      throw new IllegalArgumentException(
          "rollout budget (prompt "
              + longestPrompt
              + " + turns and observations) exceeds the model's"
              + " max_position_embeddings "
              + maxPositions
              + "; lower maxTurnTokens or maxObservationTokens");
    }
    SamplingParams params =
        new SamplingParams(
            config.temperature(),
            0,
            config.topP(),
            config.maxTurnTokens(),
            List.of(config.search().close(), config.answer().close()),
            eos,
            seed);
    try (DecodeSession session =
        new DecodeSession(policy.model(), prompts, capacity, policy.schedule(rows))) {
      tokenizer.padTokenId().ifPresent(session::setPadId);
      for (int turn = 0; turn <= config.maxTurns(); turn++) {
        boolean finalTurn = turn == config.maxTurns();
        boolean[] active = new boolean[rows];
        boolean any = false;
        for (int r = 0; r < rows; r++) {
          active[r] = !state.get(r).done;
          any |= active[r];
        }
        if (!any) {
          break;
        }
        List<Generation> out = session.generate(params, active, tokenizer);
        String[] text = new String[rows];
        FinishReason[] how = new FinishReason[rows];
        for (int r = 0; r < rows; r++) {
          if (active[r]) {
            state.get(r).addSampled(out.get(r));
            text[r] = out.get(r).text();
            how[r] = out.get(r).finishReason();
          }
        }
        List<long[]> chunks = environment.step(active, text, how, finalTurn, state);
        boolean anyChunk = chunks.stream().anyMatch(c -> c != null);
        if (anyChunk) {
          session.append(chunks, TokenRole.OBSERVATION);
          for (int r = 0; r < rows; r++) {
            if (chunks.get(r) != null) {
              state.get(r).addObservation(chunks.get(r));
            }
          }
        }
      }
    }
    List<Trajectory> result = new ArrayList<>();
    for (TrajectoryRecorder s : state) {
      result.add(s.toTrajectory(tokenizer));
    }
    return result;
  }
}
