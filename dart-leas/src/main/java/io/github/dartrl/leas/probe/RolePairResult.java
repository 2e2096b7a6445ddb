package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch-split angles of every pair of roles ({@link RolePairAngles}): with three roles
 * (reasoning, search, SQL) the interaction of each pair, the paper's open question on more than two
 * capabilities.
 *
 * @param config splits, seed and histogram bins
 * @param method the probed policy's method
 * @param trainableParameters length of the flattened gradients
 * @param roles role names, in the order of the groups' gradients
 * @param groups mixed-reward groups split
 * @param groupsWithRole per role, the groups with at least one trajectory of that role (a rare
 *     role, e.g. SQL, makes its angles rest on few groups, and undefined in halves without any)
 * @param half groups per half
 * @param sameRole per role, ∠(g_k^A, g_k^B) over the splits (degrees)
 * @param pairs one entry per pair of roles, in the order (0,1), (0,2), …, (1,2), …
 * @param splitValues per split, the same-role angles (one per role) then the pairs' inter-role
 *     angles (one per pair), NaN where a half lacked a role
 */
public record RolePairResult(
    BatchSplitConfig config,
    String method,
    long trainableParameters,
    List<String> roles,
    int groups,
    Map<String, Integer> groupsWithRole,
    int half,
    Map<String, Summary> sameRole,
    List<Pair> pairs,
    List<double[]> splitValues) {

  public RolePairResult {
    roles = List.copyOf(roles);
    sameRole = Map.copyOf(sameRole);
    groupsWithRole = Map.copyOf(groupsWithRole);
    pairs = List.copyOf(pairs);
    splitValues = List.copyOf(splitValues);
  }

  /** Splits drawn. */
  public int splits() {
    return splitValues.size();
  }

  /** Column names of {@link #splitValues()}: "same_ROLE" per role, then "inter_A_B" per pair. */
  public List<String> columns() {
    List<String> c = new ArrayList<>();
    roles.forEach(r -> c.add("same_" + r));
    pairs.forEach(p -> c.add("inter_" + p.first() + "_" + p.second()));
    return c;
  }

  /**
   * One pair of roles.
   *
   * @param first the first role's name
   * @param second the second role's name
   * @param inter ∠(g_first^H, g_second^H), the mean over the halves H = A, B, over the splits
   * @param vsSameRole per split, the inter-role angle vs the mean of both roles' same-role angles
   */
  public record Pair(String first, String second, Summary inter, PairedComparison vsSameRole) {
    /** "first–second". */
    public String label() {
      return first + "–" + second;
    }
  }
}
