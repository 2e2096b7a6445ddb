package io.github.dartrl.leas.probe;

import static io.github.dartrl.leas.probe.BatchSplitAnglesTest.D0;
import static io.github.dartrl.leas.probe.BatchSplitAnglesTest.D1;
import static io.github.dartrl.leas.probe.BatchSplitAnglesTest.random;
import static io.github.dartrl.leas.probe.BatchSplitAnglesTest.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every pair of three roles on gradients constructed with a known answer. */
class RolePairAnglesTest {
  private static final List<String> ROLES = List.of("reasoning", "search", "sql");

  @BeforeAll
  static void layout() {
    BatchSplitAnglesTest.layout();
  }

  @AfterAll
  static void close() {
    BatchSplitAnglesTest.close();
  }

  /** {@code b} minus its projection on {@code a}: b ⟂ a. */
  private static float[] orthogonal(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
    }
    float[] out = b.clone();
    for (int i = 0; i < a.length; i++) {
      out[i] -= (float) (ab / aa * a[i]);
    }
    return out;
  }

  /** M groups, role k's gradient along {@code directions[k]} with a positive weight, plus noise. */
  private static List<GroupRoleSums> groups(int m, long seed, float[]... directions) {
    Random rng = new Random(seed);
    List<GroupRoleSums> out = new ArrayList<>();
    for (int g = 0; g < m; g++) {
      double w = 0.5 + rng.nextDouble();
      List<FlatGradient> byRole = new ArrayList<>();
      int[] counts = new int[directions.length];
      for (int k = 0; k < directions.length; k++) {
        byRole.add(vector(directions[k], w, rng, 0.01));
        counts[k] = 3;
      }
      out.add(new GroupRoleSums(g, "q" + g, byRole, counts));
    }
    return out;
  }

  @Test
  void opposedAndOrthogonalRolesGiveEachPairItsAngle() {
    Random rng = new Random(11);
    float[] r = random(rng, D0 + D1, 1);
    float[] search = new float[r.length];
    for (int i = 0; i < r.length; i++) {
      search[i] = -r[i]; // the search gradient undoes the reasoning one
    }
    float[] sql = orthogonal(r, random(rng, D0 + D1, 1)); // ⟂ both
    RolePairResult res =
        RolePairAngles.analyze(
            groups(10, 12, r, search, sql), ROLES, "TEST", new BatchSplitConfig(80, 13, 36));
    assertThat(res.roles()).isEqualTo(ROLES);
    assertThat(res.splits()).isEqualTo(80);
    assertThat(res.half()).isEqualTo(5);
    assertThat(res.groupsWithRole()).containsEntry("sql", 10).containsEntry("reasoning", 10);
    assertThat(res.columns())
        .containsExactly(
            "same_reasoning",
            "same_search",
            "same_sql",
            "inter_reasoning_search",
            "inter_reasoning_sql",
            "inter_search_sql");
    for (String role : ROLES) {
      assertThat(res.sameRole().get(role).p95()).isLessThan(1.0);
    }
    assertThat(res.pairs())
        .extracting(RolePairResult.Pair::label)
        .containsExactly("reasoning–search", "reasoning–sql", "search–sql");
    assertThat(res.pairs().get(0).inter().median()).isCloseTo(180, within(1.0));
    assertThat(res.pairs().get(1).inter().median()).isCloseTo(90, within(1.0));
    assertThat(res.pairs().get(2).inter().median()).isCloseTo(90, within(1.0));
    for (RolePairResult.Pair p : res.pairs()) {
      assertThat(p.vsSameRole().fractionGreater()).isEqualTo(1.0);
      assertThat(p.vsSameRole().pValue()).isLessThan(1e-6);
    }
    for (double[] row : res.splitValues()) {
      assertThat(row).hasSize(6);
      assertThat(row[3]).isCloseTo(180, within(1.0));
    }
  }

  @Test
  void withTwoRolesItMeasuresExactlyWhatTheBatchProbeMeasuresOnTheSameHalves() {
    Random rng = new Random(21);
    List<GroupRoleGradients> two = new ArrayList<>();
    List<GroupRoleSums> asSums = new ArrayList<>();
    for (int g = 0; g < 9; g++) {
      // unstructured gradients: nothing special about the angles
      FlatGradient r = vector(new float[D0 + D1], 0, rng, 1);
      FlatGradient t = vector(new float[D0 + D1], 0, rng, 1);
      two.add(new GroupRoleGradients(g, "q" + g, r, t, 2, 1));
      asSums.add(new GroupRoleSums(g, "q" + g, List.of(r, t), new int[] {2, 1}));
    }
    BatchSplitConfig config = new BatchSplitConfig(30, 22, 36);
    BatchProbeResult batch = BatchSplitAngles.analyze(two, "TEST", config);
    RolePairResult pairs =
        RolePairAngles.analyze(asSums, List.of("reasoning", "tool"), "TEST", config);
    for (int s = 0; s < 30; s++) {
      SplitAngles b = batch.splits().get(s);
      double[] row = pairs.splitValues().get(s);
      assertThat(row[0]).isCloseTo(b.sameReasoning(), within(1e-9));
      assertThat(row[1]).isCloseTo(b.sameTool(), within(1e-9));
      assertThat(row[2]).isCloseTo(b.interRole(), within(1e-9));
    }
    assertThat(pairs.pairs().get(0).vsSameRole())
        .isEqualTo(batch.tests().get(BatchSplitAngles.VS_SAME_ROLE));
  }

  @Test
  void aRareRoleIsCountedAndItsAnglesUndefinedWhereAHalfLacksIt() {
    Random rng = new Random(41);
    float[] d = random(rng, D0 + D1, 1);
    List<GroupRoleSums> rare = new ArrayList<>();
    List<GroupRoleSums> all = groups(8, 42, d, d, d);
    for (int g = 0; g < all.size(); g++) {
      GroupRoleSums x = all.get(g);
      boolean sql = g < 2; // only two groups ever queried SQL
      rare.add(
          new GroupRoleSums(
              x.query(),
              x.id(),
              List.of(
                  x.byRole().get(0),
                  x.byRole().get(1),
                  sql
                      ? x.byRole().get(2)
                      : FlatGradient.sum(BatchSplitAnglesTest.layout, List.of())),
              new int[] {3, 3, sql ? 1 : 0}));
    }
    RolePairResult res =
        RolePairAngles.analyze(rare, ROLES, "TEST", new BatchSplitConfig(100, 43, 36));
    assertThat(res.groupsWithRole())
        .containsEntry("reasoning", 8)
        .containsEntry("search", 8)
        .containsEntry("sql", 2);
    // same-role sql needs one SQL group in each half: only the splits that separate the two
    int separated = 0;
    for (double[] row : res.splitValues()) {
      separated += Double.isNaN(row[2]) ? 0 : 1;
    }
    assertThat(res.sameRole().get("sql").n()).isEqualTo(separated).isBetween(1, 99);
    assertThat(res.sameRole().get("reasoning").n()).isEqualTo(100);
    // the inter-role angle of a pair with SQL exists in every split: some half always has SQL
    assertThat(res.pairs().get(1).inter().n()).isEqualTo(100);
  }

  @Test
  void refusesWhatItCannotMeasure() {
    Random rng = new Random(31);
    float[] d = random(rng, D0 + D1, 1);
    BatchSplitConfig config = new BatchSplitConfig(10, 1, 36);
    assertThatThrownBy(() -> RolePairAngles.analyze(groups(1, 1, d, d, d), ROLES, "TEST", config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 2 mixed-reward groups");
    // no group ever called sql: its pairs have no angle
    List<GroupRoleSums> noSql = new ArrayList<>();
    for (GroupRoleSums g : groups(4, 2, d, d, d)) {
      noSql.add(
          new GroupRoleSums(
              g.query(),
              g.id(),
              List.of(
                  g.byRole().get(0),
                  g.byRole().get(1),
                  FlatGradient.sum(BatchSplitAnglesTest.layout, List.of())),
              new int[] {3, 3, 0}));
    }
    assertThatThrownBy(() -> RolePairAngles.analyze(noSql, ROLES, "TEST", config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no group has a sql gradient (of 4 mixed-reward groups)");
    assertThatThrownBy(() -> RolePairAngles.analyze(groups(4, 3, d, d), ROLES, "TEST", config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 2 roles, expected [reasoning, search, sql]");
    assertThatThrownBy(
            () -> new GroupRoleSums(0, "q", List.of(vector(d, 1, rng, 0)), new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need >= 2 roles");
  }
}
