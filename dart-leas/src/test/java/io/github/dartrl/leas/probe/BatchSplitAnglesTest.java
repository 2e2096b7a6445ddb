package io.github.dartrl.leas.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.leas.stats.PairedComparison;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batch-split probe on gradients constructed with a known answer. */
class BatchSplitAnglesTest {
  static final int D0 = 40; // scalars of layer 0
  static final int D1 = 24; // of layer 1
  static NDManager manager;
  static ParameterGroups layout;

  @BeforeAll
  static void layout() {
    manager = NDManager.newBaseManager("PyTorch");
    Map<String, NDArray> params = new LinkedHashMap<>();
    params.put("model.layers.0.w", manager.zeros(new Shape(D0)));
    params.put("model.layers.1.w", manager.zeros(new Shape(D1)));
    layout = ParameterGroups.of(params);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static float[] random(Random rng, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rng.nextGaussian() * scale);
    }
    return v;
  }

  /** {@code w · direction + noise}, split into the two layers. */
  static FlatGradient vector(float[] direction, double w, Random rng, double noise) {
    float[][] v = {new float[D0], new float[D1]};
    for (int i = 0; i < D0 + D1; i++) {
      float x = (float) (w * direction[i] + rng.nextGaussian() * noise);
      if (i < D0) {
        v[0][i] = x;
      } else {
        v[1][i - D0] = x;
      }
    }
    return FlatGradient.of(layout, v);
  }

  /**
   * M groups whose reasoning gradients point along {@code r} and tool gradients along {@code t},
   * each scaled by a positive per-group weight, plus small noise.
   */
  static List<GroupRoleGradients> groups(int m, float[] r, float[] t, long seed) {
    Random rng = new Random(seed);
    List<GroupRoleGradients> out = new ArrayList<>();
    for (int g = 0; g < m; g++) {
      double w = 0.5 + rng.nextDouble();
      out.add(
          new GroupRoleGradients(
              10 + g, "q" + g, vector(r, w, rng, 0.01), vector(t, w, rng, 0.01), 4, 3));
    }
    return out;
  }

  @Test
  void opposedRolesGiveInterRole180AndSameRole0() {
    Random rng = new Random(1);
    float[] d = random(rng, D0 + D1, 1);
    float[] minus = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      minus[i] = -d[i];
    }
    BatchProbeResult r =
        BatchSplitAngles.analyze(groups(12, d, minus, 2), "TEST", new BatchSplitConfig(100, 3, 36));
    assertThat(r.splits()).hasSize(100);
    for (SplitAngles s : r.splits()) {
      assertThat(s.interRoleA()).isCloseTo(180, within(1.0));
      assertThat(s.interRoleB()).isCloseTo(180, within(1.0));
      assertThat(s.sameReasoning()).isCloseTo(0, within(1.0));
      assertThat(s.sameTool()).isCloseTo(0, within(1.0));
      for (double[] layer : s.layers()) {
        assertThat(layer[0]).isCloseTo(0, within(2.0));
        assertThat(layer[2]).isCloseTo(180, within(2.0));
      }
    }
    assertThat(r.summaries().get(BatchKind.INTER_ROLE).median()).isCloseTo(180, within(1.0));
    assertThat(r.summaries().get(BatchKind.SAME_ROLE).p95()).isLessThan(1.0);
    PairedComparison c = r.tests().get(BatchSplitAngles.VS_SAME_ROLE);
    assertThat(c.n()).isEqualTo(100);
    assertThat(c.fractionGreater()).isEqualTo(1.0);
    assertThat(c.medianDifference()).isCloseTo(180, within(2.0));
    assertThat(c.pValue()).isLessThan(1e-6);
    assertThat(r.layers()).hasSize(2);
    assertThat(r.layers().get(1).interRole().median()).isCloseTo(180, within(2.0));
  }

  @Test
  void orthogonalRolesGiveInterRole90AndSameRole0() {
    Random rng = new Random(4);
    float[] a = random(rng, D0 + D1, 1);
    float[] b = random(rng, D0 + D1, 1);
    // Gram–Schmidt: b ⟂ a
    double ab = 0;
    double aa = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
    }
    for (int i = 0; i < a.length; i++) {
      b[i] -= (float) (ab / aa * a[i]);
    }
    BatchProbeResult r =
        BatchSplitAngles.analyze(groups(9, a, b, 5), "TEST", new BatchSplitConfig(60, 6, 36));
    for (SplitAngles s : r.splits()) {
      assertThat(s.interRole()).isCloseTo(90, within(1.0));
      assertThat(s.sameRole()).isCloseTo(0, within(1.0));
      // 9 groups: halves of 4, one group sits out
      assertThat(s.halfA()).hasSize(4);
      assertThat(s.halfB()).hasSize(4);
    }
    assertThat(r.groupsPerHalf()).isEqualTo(4);
    assertThat(r.tests().get(BatchSplitAngles.VS_SAME_TOOL).fractionGreater()).isEqualTo(1.0);
  }

  @Test
  void splitAnglesEqualAnglesOfExplicitHalfSums() {
    Random rng = new Random(7);
    List<GroupRoleGradients> gs = new ArrayList<>();
    for (int g = 0; g < 7; g++) {
      // unstructured gradients: nothing special about the angles
      gs.add(
          new GroupRoleGradients(
              g,
              "q" + g,
              vector(new float[D0 + D1], 0, rng, 1),
              g == 3 ? FlatGradient.sum(layout, List.of()) : vector(new float[D0 + D1], 0, rng, 1),
              4,
              g == 3 ? 0 : 2));
    }
    BatchProbeResult r = BatchSplitAngles.analyze(gs, "TEST", new BatchSplitConfig(40, 8, 36));
    assertThat(r.groupsWithoutTool()).isEqualTo(1);
    Map<Integer, GroupRoleGradients> byQuery = new LinkedHashMap<>();
    gs.forEach(g -> byQuery.put(g.query(), g));
    Set<String> distinct = new HashSet<>();
    for (SplitAngles s : r.splits()) {
      Set<Integer> a = new HashSet<>();
      for (int q : s.halfA()) {
        a.add(q);
      }
      for (int q : s.halfB()) {
        assertThat(a).doesNotContain(q); // disjoint halves of whole groups
      }
      distinct.add(java.util.Arrays.toString(s.halfA()));
      // the explicit sums are float, the Gram matrix double: agreement to float round-off
      FlatGradient ra = sum(byQuery, s.halfA(), true);
      FlatGradient rb = sum(byQuery, s.halfB(), true);
      FlatGradient ta = sum(byQuery, s.halfA(), false);
      FlatGradient tb = sum(byQuery, s.halfB(), false);
      assertThat(s.sameReasoning()).isCloseTo(deg(ra, rb, 0), within(1e-4));
      assertThat(s.sameTool()).isCloseTo(deg(ta, tb, 0), within(1e-4));
      assertThat(s.interRoleA()).isCloseTo(deg(ra, ta, 0), within(1e-4));
      assertThat(s.interRoleB()).isCloseTo(deg(rb, tb, 0), within(1e-4));
      for (int g = 0; g < 2; g++) {
        assertThat(s.layers()[g][0]).isCloseTo(deg(ra, rb, g + 1), within(1e-4));
        assertThat(s.layers()[g][3]).isCloseTo(deg(rb, tb, g + 1), within(1e-4));
      }
    }
    assertThat(distinct.size()).as("random splits differ").isGreaterThan(10);
    // 7 groups, halves of 3: C(7,3)·C(4,3)/2 = 70 partitions; 40 draws give fewer distinct ones
    assertThat(r.distinctSplits()).isBetween(distinct.size() / 2, 40);
    // seeded: the same splits again; another seed, other splits
    BatchProbeResult again = BatchSplitAngles.analyze(gs, "TEST", new BatchSplitConfig(40, 8, 36));
    BatchProbeResult other = BatchSplitAngles.analyze(gs, "TEST", new BatchSplitConfig(40, 9, 36));
    for (int i = 0; i < 40; i++) {
      assertThat(again.splits().get(i).halfA()).containsExactly(r.splits().get(i).halfA());
      assertThat(again.splits().get(i).interRoleA()).isEqualTo(r.splits().get(i).interRoleA());
    }
    assertThat(other.splits().stream().map(s -> java.util.Arrays.toString(s.halfA())).toList())
        .isNotEqualTo(r.splits().stream().map(s -> java.util.Arrays.toString(s.halfA())).toList());
  }

  static FlatGradient sum(Map<Integer, GroupRoleGradients> byQuery, int[] half, boolean reasoning) {
    List<FlatGradient> parts = new ArrayList<>();
    for (int q : half) {
      parts.add(reasoning ? byQuery.get(q).reasoning() : byQuery.get(q).tool());
    }
    return FlatGradient.sum(layout, parts);
  }

  static double deg(FlatGradient a, FlatGradient b, int element) {
    return Angles.degrees(Angles.cosines(a, b)[element]);
  }

  @Test
  void tooFewGroupsOrNoToolGradientIsAnError() {
    Random rng = new Random(1);
    float[] d = random(rng, D0 + D1, 1);
    assertThatThrownBy(
            () -> BatchSplitAngles.analyze(groups(1, d, d, 1), "TEST", BatchSplitConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 2");
    List<GroupRoleGradients> noTool = new ArrayList<>();
    for (GroupRoleGradients g : groups(4, d, d, 1)) {
      noTool.add(
          new GroupRoleGradients(
              g.query(), g.id(), g.reasoning(), FlatGradient.sum(layout, List.of()), 4, 0));
    }
    assertThatThrownBy(() -> BatchSplitAngles.analyze(noTool, "TEST", BatchSplitConfig.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no group has a tool gradient");
    assertThatThrownBy(() -> new BatchSplitConfig(0, 0, 36))
        .hasMessageContaining("splits must be in");
  }
}
