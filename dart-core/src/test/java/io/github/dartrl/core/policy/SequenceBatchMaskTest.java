package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.routing.TokenRole;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Loss masks by coarse role and by exact role code: one tool's span vs every tool's. */
class SequenceBatchMaskTest {

  @Test
  void aToolCodeMaskSelectsOnlyThatToolsSpanAndTheCoarseMaskAllTools() {
    int search = TokenRole.toolCode(0);
    int sql = TokenRole.toolCode(1);
    // prompt, reasoning, search, search, observation, reasoning, sql, sql
    int[] roles = {0, 1, search, search, 3, 1, sql, sql};
    long[] ids = {5, 6, 7, 8, 9, 10, 11, 12};
    // a second, shorter row: left padding must stay out of every mask
    SequenceBatch b =
        new SequenceBatch(
            List.of(ids, new long[] {5, 6, 7}), List.of(roles, new int[] {0, 1, sql}), 0);
    // column j predicts token j+1: row 0's targets are roles[1..7], then the row's end
    float[] row0Search = {0, 1, 1, 0, 0, 0, 0, 0};
    float[] row0Sql = {0, 0, 0, 0, 0, 1, 1, 0};
    float[] row1Sql = {0, 0, 0, 0, 0, 0, 1, 0}; // padding 5, targets reasoning then sql
    assertThat(b.lossMaskOfCode(search)).containsExactly(concat(row0Search, new float[8]));
    assertThat(b.lossMaskOfCode(sql)).containsExactly(concat(row0Sql, row1Sql));
    float[] tools = b.lossMask(Set.of(TokenRole.TOOL));
    float[] sum = new float[16];
    for (int i = 0; i < 16; i++) {
      sum[i] = b.lossMaskOfCode(search)[i] + b.lossMaskOfCode(sql)[i];
    }
    assertThat(tools).containsExactly(sum);
    assertThat(b.lossMaskOfCode(TokenRole.REASONING.code()))
        .containsExactly(b.lossMask(Set.of(TokenRole.REASONING)));
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
