package io.github.dartrl.grpo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataCursorTest {

  private static List<int[]> take(DataCursor cursor, int batches, int n) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      out.add(cursor.nextBatch(n));
    }
    return out;
  }

  /**
   * Golden values from an independent Python re-implementation of the documented algorithm
   * (java.util.Random's specified LCG and nextInt, SplitMix64's finaliser, Fisher-Yates from the
   * end). A change here silently changes which questions every seeded run sees.
   */
  @Test
  void theOrderIsPinned() {
    assertThat(DataCursor.permutation(8, 42, 0)).containsExactly(4, 7, 1, 0, 6, 2, 5, 3);
    assertThat(DataCursor.permutation(8, 42, 1)).containsExactly(3, 1, 5, 6, 4, 0, 2, 7);
    assertThat(DataCursor.permutation(5, -3, 2)).containsExactly(3, 0, 1, 2, 4);
  }

  @Test
  void sameSeedSameBatches() {
    List<int[]> a = take(new DataCursor(50, 7), 30, 8);
    List<int[]> b = take(new DataCursor(50, 7), 30, 8);
    assertThat(a).zipSatisfy(b, (x, y) -> assertThat(x).containsExactly(y));
    List<int[]> c = take(new DataCursor(50, 8), 30, 8);
    assertThat(Arrays.deepEquals(a.toArray(), c.toArray())).isFalse();
  }

  @Test
  void everyExampleOncePerEpochWhenTheBatchDividesTheSize() {
    DataCursor cursor = new DataCursor(12, 3);
    for (int epoch = 0; epoch < 3; epoch++) {
      List<Integer> seen = new ArrayList<>();
      for (int[] batch : take(cursor, 3, 4)) {
        Arrays.stream(batch).forEach(seen::add);
        assertThat(cursor.epoch()).isEqualTo(epoch);
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 12).boxed().toList());
    }
  }

  @Test
  void epochsAreReshuffled() {
    int[] e0 = DataCursor.permutation(20, 5, 0);
    int[] e1 = DataCursor.permutation(20, 5, 1);
    assertThat(e1).isNotEqualTo(e0);
    assertThat(e1).containsExactlyInAnyOrder(e0);
  }

  @Test
  void aShortTailStartsTheNextEpochAndNeverGivesAPartialBatch() {
    DataCursor cursor = new DataCursor(10, 1);
    Set<Integer> epoch0 = new HashSet<>();
    for (int[] b : take(cursor, 3, 3)) {
      assertThat(b).hasSize(3);
      Arrays.stream(b).forEach(epoch0::add);
    }
    assertThat(epoch0).hasSize(9); // one example left over, dropped
    assertThat(cursor.epoch()).isZero();
    int[] fourth = cursor.nextBatch(3);
    assertThat(cursor.epoch()).isEqualTo(1);
    assertThat(fourth).containsExactly(Arrays.copyOf(DataCursor.permutation(10, 1, 1), 3));
    assertThat(cursor.state()).isEqualTo(new DataCursor.State(10, 1, 1, 3));
  }

  @Test
  void batchesHoldDistinctIndexesInRange() {
    DataCursor cursor = new DataCursor(7, 11);
    for (int[] b : take(cursor, 50, 5)) {
      assertThat(b).doesNotHaveDuplicates();
      assertThat(Arrays.stream(b).min().getAsInt()).isGreaterThanOrEqualTo(0);
      assertThat(Arrays.stream(b).max().getAsInt()).isLessThan(7);
    }
    assertThat(cursor.nextBatch(7)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void restoringGivesExactlyTheSameFutureBatches() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (int skip : new int[] {0, 1, 3, 4, 9}) {
      DataCursor original = new DataCursor(13, 99);
      take(original, skip, 3);
      String saved = json.writeValueAsString(original.state());
      DataCursor restored = DataCursor.restore(json.readValue(saved, DataCursor.State.class));
      assertThat(restored.state()).isEqualTo(original.state());
      List<int[]> expected = take(original, 25, 3);
      List<int[]> actual = take(restored, 25, 3);
      assertThat(actual).zipSatisfy(expected, (x, y) -> assertThat(x).containsExactly(y));
    }
  }

  @Test
  void restoreAtTheEndOfAnEpoch() {
    DataCursor cursor = new DataCursor(6, 2);
    take(cursor, 2, 3);
    assertThat(cursor.state().position()).isEqualTo(6);
    DataCursor restored = DataCursor.restore(cursor.state());
    assertThat(restored.nextBatch(2)).containsExactly(cursor.nextBatch(2));
    assertThat(restored.epoch()).isEqualTo(1);
  }

  @Test
  void stateJsonHasNamedFields() throws Exception {
    String saved = new ObjectMapper().writeValueAsString(new DataCursor.State(5, -3, 2, 4));
    assertThat(saved).isEqualTo("{\"size\":5,\"seed\":-3,\"epoch\":2,\"position\":4}");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new DataCursor(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size must be >= 1");
    DataCursor cursor = new DataCursor(4, 1);
    assertThatThrownBy(() -> cursor.nextBatch(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 4]");
    assertThatThrownBy(() -> cursor.nextBatch(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 5");
    assertThatThrownBy(() -> new DataCursor.State(4, 1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("epoch");
    assertThatThrownBy(() -> new DataCursor.State(4, 1, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position");
    assertThatThrownBy(() -> new DataCursor.State(4, 1, 0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
