package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import java.util.ArrayList;
import java.util.List;

/**
 * The environment side of a Search-R1 turn, shared by every rollout engine: parse each row's
 * action, run all searches of the turn in one retriever call, and say what each row gets next — the
 * observation tokens, the corrective message, or nothing because it is done.
 */
final class SearchEnvironment {
  private final Retriever retriever;
  private final RolloutConfig config;
  private final Action.Parser parser;
  private final ObservationFormatter observations;
  private final long[] invalidMessage;

  SearchEnvironment(Retriever retriever, RolloutConfig config, TextTokenizer tokenizer) {
    this.retriever = retriever;
    this.config = config;
    this.parser =
        new Action.Parser(
            config.search().open(),
            config.search().close(),
            config.answer().open(),
            config.answer().close());
    this.observations = new ObservationFormatter(tokenizer, config.maxObservationTokens());
    this.invalidMessage = observations.message(config.invalidActionMessage());
  }

  /** KV slots one observation (or corrective message) append can take, the held token included. */
  int observationSlots() {
    return Math.max(config.maxObservationTokens(), invalidMessage.length) + 1;
  }

  /**
   * Applies the actions of one turn to the recorders and returns, per row, the tokens to append
   * next (null: nothing, the row is done or was not active).
   *
   * @param turnText the text each active row produced this turn
   * @param how why each active row's turn ended
   */
  List<long[]> step(
      boolean[] active,
      String[] turnText,
      FinishReason[] how,
      boolean finalTurn,
      List<TrajectoryRecorder> state) {
    int rows = active.length;
    List<String> queries = new ArrayList<>();
    List<Integer> queryRows = new ArrayList<>();
    List<long[]> chunks = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      chunks.add(null);
      if (!active[r]) {
        continue;
      }
      TrajectoryRecorder s = state.get(r);
      Action a = parser.parse(turnText[r]);
      if (a.kind() == Action.Kind.ANSWER) {
        s.valid++;
        s.finish(Trajectory.End.ANSWER, false);
      } else if (a.kind() == Action.Kind.SEARCH && !finalTurn) {
        s.valid++;
        queries.add(a.content());
        queryRows.add(r);
      } else if (finalTurn) {
        // the final turn runs no search: the trajectory ends here
        if (a.kind() == Action.Kind.SEARCH) {
          s.valid++;
        } else {
          s.invalid++;
        }
        boolean cut = how[r] == FinishReason.LENGTH;
        s.finish(cut ? Trajectory.End.LENGTH : Trajectory.End.MAX_TURNS, cut);
      } else {
        s.invalid++;
        chunks.set(r, invalidMessage);
      }
    }
    if (!queries.isEmpty()) {
      List<List<Passage>> results = retriever.search(queries, config.topK());
      if (results.size() != queries.size()) {
        throw new IllegalStateException(
            "retriever returned "
                + results.size()
                + " result lists for "
                + queries.size()
                + " queries");
      }
      for (int k = 0; k < queries.size(); k++) {
        int r = queryRows.get(k);
        state.get(r).searched(queries.get(k), results.get(k));
        chunks.set(r, observations.tokens(results.get(k)));
      }
    }
    return chunks;
  }
}
