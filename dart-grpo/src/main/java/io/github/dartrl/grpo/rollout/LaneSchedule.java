package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;

/**
 * The adapter schedule of one lane: its role map, with the role of the next sampled token taken
 * from the row's router state, which all lanes share. The state is advanced by the lane that
 * samples; given tokens do not move it here — the engine ends the router's run when the environment
 * speaks (a catch-up is not the environment and closes nothing).
 */
record LaneSchedule(RoleAdapterMap map, TokenRouter.State[] routes) implements AdapterSchedule {
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
