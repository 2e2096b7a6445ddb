package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.tool.TurnOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Accumulates one row (sampled tokens with their roles and log-probs, observations). */
final class TrajectoryRecorder {
  final int task;
  final int promptLength;
  long[] tokens;
  int[] roles;
  float[] logProbs;
  int length;
  int turnStart;
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
    this.promptLength = prompt.length;
    this.tokens = Arrays.copyOf(prompt, prompt.length + 64);
    this.roles = new int[tokens.length];
    this.logProbs = new float[tokens.length];
    Arrays.fill(roles, 0, prompt.length, TokenRole.PROMPT.code());
    Arrays.fill(logProbs, 0, prompt.length, Float.NaN);
    this.length = prompt.length;
  }

  void startTurn() {
    turns++;
    turnStart = length;
  }

  long[] turnTokens() {
    return Arrays.copyOfRange(tokens, turnStart, length);
  }

  long lastToken() {
    return tokens[length - 1];
  }

  /** A sampled token with its role code (REASONING's, or its tool's own code). */
  void addSampled(long token, int roleCode, float logProb) {
    grow(1);
    tokens[length] = token;
    roles[length] = roleCode;
    logProbs[length] = logProb;
    length++;
  }

  void addSampled(Generation g) {
    for (int i = 0; i < g.tokens().length; i++) {
      addSampled(g.tokens()[i], g.roleCodes()[i], g.logProbs()[i]);
    }
  }

  void addObservation(long[] ids) {
    grow(ids.length);
    System.arraycopy(ids, 0, tokens, length, ids.length);
    Arrays.fill(roles, length, length + ids.length, TokenRole.OBSERVATION.code());
    Arrays.fill(logProbs, length, length + ids.length, Float.NaN);
    length += ids.length;
  }

  /**
   * Records what the environment made of the turn; returns the tokens to append next (null: none).
   */
  long[] apply(TurnOutcome o) {
    if (o.valid()) {
      valid++;
    } else {
      invalid++;
    }
    if (o.passages() != null) {
      searched(o.call(), o.passages());
    }
    switch (o.kind()) {
      case ANSWERED -> finish(Trajectory.End.ANSWER, false);
      case OUT_OF_TURNS -> finish(Trajectory.End.MAX_TURNS, false);
      case CUT -> finish(Trajectory.End.LENGTH, true);
      case CALLED, CORRECTED -> {
        return o.observation();
      }
    }
    return null;
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

  private void grow(int extra) {
    if (length + extra > tokens.length) {
      int n = Math.max(tokens.length * 2, length + extra);
      tokens = Arrays.copyOf(tokens, n);
      roles = Arrays.copyOf(roles, n);
      logProbs = Arrays.copyOf(logProbs, n);
    }
  }

  Trajectory toTrajectory(TextTokenizer tok) {
    long[] ids = Arrays.copyOf(tokens, length);
    int[] r = Arrays.copyOf(roles, length);
    return new Trajectory(
        task,
        task,
        ids,
        r,
        Arrays.copyOf(logProbs, length),
        promptLength,
        ResponseText.of(ids, r, promptLength, tok),
        turns,
        List.copyOf(queries),
        List.copyOf(passages),
        valid,
        invalid,
        end,
        truncated);
  }
}
