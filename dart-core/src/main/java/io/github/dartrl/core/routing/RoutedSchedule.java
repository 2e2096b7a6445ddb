package io.github.dartrl.core.routing;

/** The decoding-time adapter schedule of DART: one router state per row plus a role map. */
public final class RoutedSchedule implements AdapterSchedule {
  private final TokenRouter.State[] states;
  private final RoleAdapterMap map;

  public RoutedSchedule(TokenRouter router, RoleAdapterMap map, int rows) {
    this.map = map;
    this.states = new TokenRouter.State[rows];
    for (int r = 0; r < rows; r++) {
      states[r] = router.newState();
    }
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
    return map.adapterFor(states[row].nextRole());
  }

  @Override
  public TokenRole nextSampledRole(int row) {
    return states[row].nextRole();
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
