package io.github.dartrl.core.routing;

/**
 * The decoding-time adapter schedule: one router state per row plus a role map. The one place
 * where, while decoding, a role becomes an adapter index (training: {@code
 * SequenceBatch.adapterAt}); both go through {@link RoleAdapterMap#adapterForCode}.
 */
public final class RoutedSchedule implements AdapterSchedule {
  private final TokenRouter.State[] states;
  private final RoleAdapterMap map;

  /** Fresh router states, one per row. */
  public RoutedSchedule(TokenRouter router, RoleAdapterMap map, int rows) {
    this.map = map;
    this.states = new TokenRouter.State[rows];
    for (int r = 0; r < rows; r++) {
      states[r] = router.newState();
    }
  }

  /**
   * Over router states shared with other schedules: hand-off lanes (each its own KV cache and map)
   * read and advance the same per-row state, since a row's roles do not depend on which model
   * samples it.
   */
  public RoutedSchedule(RoleAdapterMap map, TokenRouter.State[] shared) {
    this.map = map;
    this.states = shared;
  }

  /** The router state of a row (for inspection). */
  public TokenRouter.State state(int row) {
    return states[row];
  }

  @Override
  public int beforeGiven(int row, TokenRole role) {
    return map.adapterFor(role);
  }

  @Override
  public int beforeSampled(int row) {
    return map.adapterForCode(states[row].nextRoleCode());
  }

  @Override
  public TokenRole nextSampledRole(int row) {
    return states[row].nextRole();
  }

  @Override
  public int nextSampledRoleCode(int row) {
    return states[row].nextRoleCode();
  }

  @Override
  public void sampled(int row, long token) {
    states[row].sampled(token);
  }

  @Override
  public void given(int row, long[] tokens, TokenRole role) {
    states[row].given();
  }
}
