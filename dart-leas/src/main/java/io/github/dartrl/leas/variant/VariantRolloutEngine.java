package io.github.dartrl.leas.variant;

import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.rollout.Lane;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Rollouts;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.List;

/**
 * Search-R1 rollouts in which the REASONING tokens are sampled from one {@link Generator} and the
 * TOOL tokens from another: a configuration of the one {@link RolloutEngine}.
 *
 * <p>The role of the next token is the router's state (paper v2 Eq. 2), shared per row by both
 * generators. With {@link HybridMode#HANDOFF} each generator is a lane with its own KV cache of the
 * whole context, catching up on what the other wrote before it samples; with {@link
 * HybridMode#ROUTED} one cache serves both, with the adapter switched per position.
 *
 * <p>When both generators have the same weights this is a single model: one lane, and the
 * trajectories are identical, token for token and log-prob for log-prob, to those of a policy using
 * that adapter everywhere. Log-probs are always those of the generator that sampled the token.
 */
public final class VariantRolloutEngine implements Rollouts {
  private final Generator reasoning;
  private final Generator tool;
  private final RolloutEngine engine;

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
    if (router.spans().size() > 1) {
      // a LEAS hybrid has one reasoning and one tool generator: several tools would share it
      throw new IllegalArgumentException(
          "LEAS variants support one tool; the router routes "
              + router.spans().size()
              + " tool spans "
              + router.spans());
    }
    if (reasoning.model().config().vocabSize() != tool.model().config().vocabSize()) {
      throw new IllegalArgumentException(
          reasoning.name() + " and " + tool.name() + " have different vocabularies");
    }
    List<Lane> lanes;
    if (!isHybrid()) {
      lanes = List.of(lane(reasoning, RoleAdapterMap.uniform(reasoning.adapter())));
    } else if (mode == HybridMode.ROUTED) {
      lanes = List.of(lane(reasoning, RoleAdapterMap.split(reasoning.adapter(), tool.adapter())));
    } else {
      lanes =
          List.of(
              lane(reasoning, RoleAdapterMap.uniform(reasoning.adapter())),
              lane(tool, RoleAdapterMap.uniform(tool.adapter())));
    }
    this.engine =
        new RolloutEngine(
            lanes,
            router,
            config.searchEnvironment(retriever, tokenizer),
            tokenizer,
            template,
            config);
  }

  private static Lane lane(Generator g, RoleAdapterMap map) {
    return new Lane(g.name(), g.model(), map);
  }

  /** True if the two generators have different weights (a real hybrid). */
  public boolean isHybrid() {
    return !reasoning.sameWeights(tool);
  }

  /**
   * Rolls out {@code groupSize} completions for each question; row {@code i * groupSize + j} is
   * completion j of question i (group id i).
   */
  @Override
  public List<Trajectory> rollout(List<String> questions, int groupSize, long seed) {
    return engine.rollout(questions, groupSize, seed);
  }
}
