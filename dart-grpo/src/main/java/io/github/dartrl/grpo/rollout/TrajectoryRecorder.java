package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Accumulates one row's pieces (sampled segments and observations) into a {@link Trajectory}. */
final class TrajectoryRecorder {
  final int task;
  final long[] prompt;
  final List<long[]> pieces = new ArrayList<>();
  final List<int[]> roles = new ArrayList<>();
  final List<float[]> logProbs = new ArrayList<>();
  final List<String> queries = new ArrayList<>();
  final List<List<Passage>> passages = new ArrayList<>();
  int turns;
  int valid;
  int invalid;
  boolean done;
  boolean truncated;
  Trajectory.End end = Trajectory.End.MAX_TURNS;

  TrajectoryRecorder(int task, long[] prompt) {
    this.task = task;
    this.prompt = prompt;
  }

  void addSampled(Generation g) {
    turns++;
    pieces.add(g.tokens());
    int[] r = new int[g.tokens().length];
    for (int i = 0; i < r.length; i++) {
      r[i] = g.roles()[i].code();
    }
    roles.add(r);
    logProbs.add(g.logProbs());
  }

  /** A segment sampled by one agent of a two-agent system: every token gets {@code role}. */
  void addAgentSegment(Generation g, TokenRole role, boolean startsTurn) {
    if (startsTurn) {
      turns++;
    }
    pieces.add(g.tokens());
    int[] r = new int[g.tokens().length];
    Arrays.fill(r, role.code());
    roles.add(r);
    logProbs.add(g.logProbs());
  }

  void addObservation(long[] ids) {
    pieces.add(ids);
    int[] r = new int[ids.length];
    Arrays.fill(r, TokenRole.OBSERVATION.code());
    roles.add(r);
    float[] lp = new float[ids.length];
    Arrays.fill(lp, Float.NaN);
    logProbs.add(lp);
  }

  void searched(String query, List<Passage> found) {
    queries.add(query);
    passages.add(found);
  }

  void finish(Trajectory.End how, boolean cut) {
    done = true;
    end = how;
    truncated = cut;
  }

  Trajectory toTrajectory(TextTokenizer tok) {
    int n = prompt.length + pieces.stream().mapToInt(p -> p.length).sum();
    long[] tokens = Arrays.copyOf(prompt, n);
    int[] role = new int[n];
    float[] lp = new float[n];
    Arrays.fill(role, 0, prompt.length, TokenRole.PROMPT.code());
    Arrays.fill(lp, 0, prompt.length, Float.NaN);
    int at = prompt.length;
    for (int k = 0; k < pieces.size(); k++) {
      System.arraycopy(pieces.get(k), 0, tokens, at, pieces.get(k).length);
      System.arraycopy(roles.get(k), 0, role, at, pieces.get(k).length);
      System.arraycopy(logProbs.get(k), 0, lp, at, pieces.get(k).length);
      at += pieces.get(k).length;
    }
    String text = ResponseText.of(tokens, role, prompt.length, tok);
    return new Trajectory(
        task,
        task,
        tokens,
        role,
        lp,
        prompt.length,
        text,
        turns,
        List.copyOf(queries),
        List.copyOf(passages),
        valid,
        invalid,
        end,
        truncated);
  }
}
