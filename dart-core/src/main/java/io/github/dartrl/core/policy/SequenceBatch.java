package io.github.dartrl.core.policy;

import io.github.dartrl.core.model.TokenBatch;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import java.util.Arrays;
import java.util.List;

/**
 * Whole trajectories (token ids and one role per token) packed for a training forward: left-padded
 * to the longest, with next-token targets. Column {@code j} of row {@code b} is the input position
 * whose output predicts the token at {@code j+1}; {@link #targetRole(int, int)} is that token's
 * role (or -1 past the end), which decides both the adapter at {@code j} and whether {@code j}
 * carries loss.
 */
public final class SequenceBatch {
  private final TokenBatch tokens;
  private final long[] targets; // [B*L]
  private final int[] targetRoles; // [B*L], role code of the target token or -1
  private final int[] lengths;

  /**
   * @param ids token ids per row
   * @param roles role code per token ({@link TokenRole#code()}), same lengths as {@code ids}
   * @param padId id placed in padding slots
   */
  public SequenceBatch(List<long[]> ids, List<int[]> roles, long padId) {
    if (ids.isEmpty() || ids.size() != roles.size()) {
      throw new IllegalArgumentException("need one role array per sequence, and at least one");
    }
    this.tokens = TokenBatch.leftPadded(ids, padId);
    int b = tokens.batch();
    int l = tokens.length();
    this.lengths = new int[b];
    this.targets = new long[b * l];
    this.targetRoles = new int[b * l];
    Arrays.fill(targets, padId);
    Arrays.fill(targetRoles, -1);
    for (int r = 0; r < b; r++) {
      long[] x = ids.get(r);
      int[] role = roles.get(r);
      if (role.length != x.length) {
        throw new IllegalArgumentException(
            "row " + r + ": " + x.length + " tokens but " + role.length + " roles");
      }
      lengths[r] = x.length;
      int pad = l - x.length;
      for (int p = 0; p + 1 < x.length; p++) {
        targets[r * l + pad + p] = x[p + 1];
        TokenRole.ofCode(role[p + 1]); // validates; the tool's own code is kept for routing
        targetRoles[r * l + pad + p] = role[p + 1];
      }
    }
  }

  public TokenBatch tokens() {
    return tokens;
  }

  public int batch() {
    return tokens.batch();
  }

  public int length() {
    return tokens.length();
  }

  /** Unpadded length of a row. */
  public int length(int row) {
    return lengths[row];
  }

  /** Left padding of a row. */
  public int padding(int row) {
    return tokens.length() - lengths[row];
  }

  /** Next-token targets {@code [B*L]} (pad id where there is none). */
  public long[] targets() {
    return targets;
  }

  /** Role code of the token predicted at column {@code col} of {@code row}, or -1. */
  public int targetRole(int row, int col) {
    return targetRoles[row * tokens.length() + col];
  }

  /**
   * Adapter at every input position under {@code map}: the adapter of the next token's role; at a
   * row's last token (no successor) REASONING's; -1 in padding. Null if no position uses one.
   */
  public int[] adapterAt(RoleAdapterMap map) {
    int b = tokens.batch();
    int l = tokens.length();
    int[] a = new int[b * l];
    Arrays.fill(a, -1);
    boolean any = false;
    int last = map.adapterFor(TokenRole.REASONING);
    for (int r = 0; r < b; r++) {
      for (int j = padding(r); j < l; j++) {
        int role = targetRoles[r * l + j];
        a[r * l + j] = role < 0 ? last : map.adapterForCode(role);
        any |= a[r * l + j] >= 0;
      }
    }
    return any ? a : null;
  }

  /** A 0/1 mask {@code [B*L]}: 1 where the predicted token's role is in {@code roles}. */
  public float[] lossMask(java.util.Set<TokenRole> roles) {
    float[] m = new float[targetRoles.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = targetRoles[i] >= 0 && roles.contains(TokenRole.ofCode(targetRoles[i])) ? 1f : 0f;
    }
    return m;
  }

  /**
   * A 0/1 mask {@code [B*L]}: 1 where the predicted token's role code is exactly {@code code} (e.g.
   * {@link TokenRole#toolCode}(1): the second tool's span only, where {@link #lossMask} with TOOL
   * takes every tool's).
   */
  public float[] lossMaskOfCode(int code) {
    float[] m = new float[targetRoles.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = targetRoles[i] == code ? 1f : 0f;
    }
    return m;
  }
}
