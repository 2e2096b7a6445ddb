package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import io.github.dartrl.grpo.tool.SearchTool;
import io.github.dartrl.grpo.tool.Tool;
import io.github.dartrl.grpo.tool.ToolEnvironment;
import java.util.List;

/**
 * Limits and sampling of multi-turn search rollouts (Search-R1 protocol).
 *
 * @param maxTurns at most this many tool calls; then one final turn in which a search is not run
 * @param maxTurnTokens tokens sampled per turn
 * @param maxObservationTokens tokens of one observation (passages are cut, the closing tag kept)
 * @param topK passages per search
 * @param temperature sampling temperature (0 = greedy)
 * @param topP nucleus sampling
 * @param search the search tool's call span, e.g. {@code <search>…</search>} (see {@link
 *     #searchEnvironment})
 * @param answer the answer span, e.g. {@code <answer>…</answer>}
 * @param invalidActionMessage observation after a turn with neither a search nor an answer
 */
public record RolloutConfig(
    int maxTurns,
    int maxTurnTokens,
    int maxObservationTokens,
    int topK,
    double temperature,
    double topP,
    ToolSpan search,
    ToolSpan answer,
    String invalidActionMessage) {

  /** Search-R1's corrective message. */
  public static final String SEARCH_R1_INVALID_ACTION =
      "\nMy previous action is invalid. If I want to search, I should put the query between"
          + " <search> and </search>. If I want to give the final answer, I should put the answer"
          + " between <answer> and </answer>. Let me try again.\n";

  public RolloutConfig {
    if (maxTurns < 0) {
      throw new IllegalArgumentException("maxTurns must be >= 0, got " + maxTurns);
    }
    if (maxTurnTokens <= 0) {
      throw new IllegalArgumentException("maxTurnTokens must be > 0, got " + maxTurnTokens);
    }
    if (maxObservationTokens <= 0) {
      throw new IllegalArgumentException(
          "maxObservationTokens must be > 0, got " + maxObservationTokens);
    }
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be > 0, got " + topK);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be finite and >= 0 (0 = greedy), got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
  }

  /**
   * Paper defaults: 4 tool calls, top-3 passages, temperature 1, 500 tokens per turn/observation.
   */
  public static RolloutConfig searchR1() {
    return new RolloutConfig(
        4,
        500,
        500,
        3,
        1.0,
        1.0,
        ToolSpan.search(),
        new ToolSpan("<answer>", "</answer>"),
        SEARCH_R1_INVALID_ACTION);
  }

  public RolloutConfig withTurnTokens(int turnTokens, int observationTokens) {
    return new RolloutConfig(
        maxTurns,
        turnTokens,
        observationTokens,
        topK,
        temperature,
        topP,
        search,
        answer,
        invalidActionMessage);
  }

  public RolloutConfig withMaxTurns(int turns) {
    return new RolloutConfig(
        turns,
        maxTurnTokens,
        maxObservationTokens,
        topK,
        temperature,
        topP,
        search,
        answer,
        invalidActionMessage);
  }

  public RolloutConfig withSampling(double temp, double p) {
    return new RolloutConfig(
        maxTurns,
        maxTurnTokens,
        maxObservationTokens,
        topK,
        temp,
        p,
        search,
        answer,
        invalidActionMessage);
  }

  public RolloutConfig withTopK(int k) {
    return new RolloutConfig(
        maxTurns,
        maxTurnTokens,
        maxObservationTokens,
        k,
        temperature,
        topP,
        search,
        answer,
        invalidActionMessage);
  }

  public RolloutConfig withInvalidActionMessage(String message) {
    return new RolloutConfig(
        maxTurns,
        maxTurnTokens,
        maxObservationTokens,
        topK,
        temperature,
        topP,
        search,
        answer,
        message);
  }

  /**
   * An environment with the given tools and this config's answer span, corrective message, turn
   * limit and observation limit.
   */
  public ToolEnvironment environment(List<Tool> tools, TextTokenizer tokenizer) {
    return new ToolEnvironment(
        tools, answer, invalidActionMessage, maxTurns, maxObservationTokens, tokenizer);
  }

  /** Search-R1's environment: one {@link SearchTool} on {@link #search()} over the retriever. */
  public ToolEnvironment searchEnvironment(Retriever retriever, TextTokenizer tokenizer) {
    return searchEnvironment(retriever, tokenizer, List.of());
  }

  /**
   * Search-R1's search over the retriever, then {@code extraTools} (e.g. SQL), in that order: the
   * order of the router's spans and of DART's tool adapters.
   */
  public ToolEnvironment searchEnvironment(
      Retriever retriever, TextTokenizer tokenizer, List<Tool> extraTools) {
    // refuse an observation limit that cannot hold </information> now, not at the first search
    new ObservationFormatter(tokenizer, maxObservationTokens);
    List<Tool> tools = new java.util.ArrayList<>();
    tools.add(new SearchTool(search, retriever, topK));
    tools.addAll(extraTools);
    return environment(tools, tokenizer);
  }
}
