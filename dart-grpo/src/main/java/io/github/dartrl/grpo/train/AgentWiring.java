package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Rollouts;
import io.github.dartrl.grpo.tool.Tool;
import java.util.EnumSet;
import java.util.List;

/**
 * Who rolls out and who learns: one routed policy (DART, LoRA, FULL) learning from the configured
 * roles, or the 2-Agent baseline, where the reasoner and an independent tool model hand off turns
 * and each learns from its own tokens with the shared trajectory advantage.
 */
final class AgentWiring {
  private AgentWiring() {}

  /** The rollout engine of a run; {@code toolAgent} is null for a single policy. */
  static Rollouts engine(
      Policy policy,
      Policy toolAgent,
      TextTokenizer tokenizer,
      Retriever retriever,
      List<Tool> extraTools,
      PromptTemplate template,
      GrpoConfig config) {
    return RolloutEngine.of(
        policy, toolAgent, tokenizer, retriever, extraTools, template, config.rollout());
  }

  /** The learners of a run, in checkpoint order; the first one's metrics are {@code actor/*}. */
  static List<PolicyLearner> learners(
      Policy policy, Policy toolAgent, GrpoConfig config, NDManager stateManager, long pad) {
    if (toolAgent == null) {
      return List.of(
          PolicyLearner.create("policy", policy, config.trainRoles(), config, stateManager, pad));
    }
    return List.of(
        PolicyLearner.create(
            "reasoner", policy, EnumSet.of(TokenRole.REASONING), config, stateManager, pad),
        PolicyLearner.create(
            "tool", toolAgent, EnumSet.of(TokenRole.TOOL), config, stateManager, pad));
  }
}
