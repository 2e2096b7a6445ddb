package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.RoleAdapterMap;
import java.util.Objects;

/**
 * One model that samples in a rollout, with its own KV cache: a backbone and the role → adapter map
 * it computes with. A single routed policy is one lane; a hand-off system (2-Agent, a LEAS hybrid)
 * is two — the first samples REASONING tokens, the second TOOL tokens.
 *
 * @param name for logs and errors, e.g. "tool agent"
 * @param model the backbone
 * @param map which adapter serves each position (by the role of the token that follows it)
 */
public record Lane(String name, DecoderModel model, RoleAdapterMap map) {
  public Lane {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(map, "map");
  }

  /** A policy as a lane: its backbone and role map. */
  public static Lane of(String name, Policy policy) {
    return new Lane(name, policy.model(), policy.roleMap());
  }
}
