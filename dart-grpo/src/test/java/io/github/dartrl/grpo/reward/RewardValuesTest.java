package io.github.dartrl.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation of {@link RewardInput} and {@link RewardResult}. */
class RewardValuesTest {

  @Test
  void inputCopiesItsLists() {
    List<String> golds = new ArrayList<>(List.of("a"));
    RewardInput in = new RewardInput("q", golds, "r", false, 0, new ArrayList<>());
    golds.add("b");
    assertThat(in.goldAnswers()).containsExactly("a");
    assertThatThrownBy(() -> in.observations().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void inputRejectsBadValues() {
    assertThatThrownBy(() -> new RewardInput("q", List.of(), "r", false, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("goldAnswers is empty");
    assertThatThrownBy(() -> new RewardInput("q", List.of("a"), "r", false, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validSearches");
    assertThatThrownBy(() -> new RewardInput(null, List.of("a"), "r", false, 0, List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("question");
    assertThatThrownBy(() -> new RewardInput("q", List.of("a"), null, false, 0, List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("response");
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> new RewardInput("q", withNull, "r", false, 0, List.of()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RewardInput("q", List.of("a"), "r", false, 0, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void resultKeepsComponentOrderAndIsImmutable() {
    Map<String, Double> c = new LinkedHashMap<>();
    c.put("z", 1.0);
    c.put("a", 0.0);
    RewardResult r = new RewardResult(1.0, true, "x", c);
    c.put("later", 2.0);
    assertThat(r.components().keySet()).containsExactly("z", "a");
    assertThatThrownBy(() -> r.components().put("b", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);
    RewardResult w = r.with(0.5, Map.of("a", 1.0, "n", 3.0));
    assertThat(w.reward()).isEqualTo(0.5);
    assertThat(w.components()).containsEntry("a", 1.0).containsEntry("n", 3.0);
    assertThat(w.components().keySet()).startsWith("z", "a");
  }

  @Test
  void resultRejectsNonFiniteValues() {
    assertThatThrownBy(() -> new RewardResult(Double.NaN, false, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reward must be finite");
    assertThatThrownBy(
            () -> new RewardResult(0, false, null, Map.of("em", Double.NEGATIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("component em");
    Map<String, Double> nullValue = new HashMap<>();
    nullValue.put("em", null);
    assertThatThrownBy(() -> new RewardResult(0, false, null, nullValue))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RewardResult(0, false, null, null))
        .isInstanceOf(NullPointerException.class);
  }
}
