package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.routing.RoutedSchedule;
import io.github.dartrl.core.routing.TokenRouter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One lane during a rollout: its KV cache and how far it has read each row. */
final class LaneRun implements AutoCloseable {
  final Lane lane;
  final DecodeSession session;
  final SamplingParams params;
  private final int[] seen; // tokens of each row this cache has read (its held token included)

  LaneRun(
      Lane lane,
      List<long[]> prompts,
      int capacity,
      TokenRouter.State[] routes,
      SamplingParams params,
      java.util.OptionalLong padId) {
    this.lane = lane;
    this.session =
        new DecodeSession(lane.model(), prompts, capacity, new RoutedSchedule(lane.map(), routes));
    padId.ifPresent(session::setPadId);
    this.params = params;
    this.seen = new int[prompts.size()];
    for (int r = 0; r < seen.length; r++) {
      seen[r] = prompts.get(r).length;
    }
  }

  /** The row has been read up to its end (after this lane sampled its last token). */
  void caughtUp(int row, TrajectoryRecorder rec) {
    seen[row] = rec.length;
  }

  /**
   * If a row about to sample here lags, reads every lagging unfinished row in one forward (so later
   * catch-ups stay short).
   */
  void catchUp(List<TrajectoryRecorder> state, boolean[] here) {
    boolean needed = false;
    for (int r = 0; r < here.length; r++) {
      needed |= here[r] && seen[r] < state.get(r).length;
    }
    if (!needed) {
      return;
    }
    List<long[]> feed = new ArrayList<>();
    for (int r = 0; r < here.length; r++) {
      TrajectoryRecorder row = state.get(r);
      feed.add(!row.done && seen[r] < row.length ? pending(row, r) : null);
    }
    read(feed, state);
  }

  /** Reads, for each row with a new observation, everything up to and including it. */
  void readObservations(long[][] chunks, List<TrajectoryRecorder> state) {
    List<long[]> feed = new ArrayList<>();
    for (int r = 0; r < chunks.length; r++) {
      feed.add(chunks[r] == null ? null : pending(state.get(r), r));
    }
    read(feed, state);
  }

  private long[] pending(TrajectoryRecorder row, int r) {
    return Arrays.copyOfRange(row.tokens, seen[r], row.length);
  }

  private void read(List<long[]> feed, List<TrajectoryRecorder> state) {
    int longest = feed.stream().mapToInt(c -> c == null ? 0 : c.length).max().orElse(0);
    if (longest + 1 > session.remainingCapacity()) {
      throw new IllegalStateException(
          lane.name()
              + "'s KV cache exhausted ("
              + session.remainingCapacity()
              + " slots left, "
              + (longest + 1)
              + " needed); this is a bug in the capacity bound");
    }
    // already in the trajectory with their roles: a catch-up carries no training role
    session.catchUp(feed);
    for (int r = 0; r < feed.size(); r++) {
      if (feed.get(r) != null) {
        seen[r] = state.get(r).length;
      }
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
