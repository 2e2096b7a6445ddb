package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorldConfigTest {

  private static final WorldConfig D = WorldConfig.defaults();

  @Test
  void presetsAreValidAndSplitCountsSumToTheTotal() {
    for (WorldConfig c : new WorldConfig[] {WorldConfig.defaults(), WorldConfig.small()}) {
      for (int total : new int[] {1, 7, 90, 3600}) {
        int sum = 0;
        for (Split s : Split.values()) {
          sum += c.splitCount(total, s);
        }
        assertThat(sum).isEqualTo(total);
      }
    }
    assertThat(D.splitCount(3600, Split.TRAIN)).isEqualTo(2880);
    assertThat(D.splitCount(3600, Split.DEV)).isEqualTo(288);
    assertThat(D.splitCount(3600, Split.TEST)).isEqualTo(432);
  }

  @Test
  void rejectsAQuestionMixThatDoesNotSumToOne() {
    assertThatThrownBy(() -> WorldConfig.defaults().toBuilder().oneHopFraction(0.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("question mix")
        .hasMessageContaining("sum to 1");
  }

  @Test
  void rejectsAnEmptySplit() {
    assertThatThrownBy(
            () ->
                WorldConfig.defaults().toBuilder()
                    .trainFraction(0.9)
                    .devFraction(0.0)
                    .testFraction(0.1)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive fraction");
  }

  @Test
  void rejectsASplitThatWouldOwnNoEntity() {
    assertThatThrownBy(() -> WorldConfig.defaults().toBuilder().companies(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("split dev would own no entity");
  }

  @Test
  void rejectsTooFewPassagesOrRivers() {
    assertThatThrownBy(() -> WorldConfig.defaults().toBuilder().passagesPerEntity(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("passagesPerEntity");
    assertThatThrownBy(() -> WorldConfig.defaults().toBuilder().rivers(15).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one river per country");
  }

  @Test
  void rejectsMoreQuestionsThanASplitCanAsk() {
    WorldConfig greedy = WorldConfig.small().withQuestions(100_000);
    assertThatThrownBy(() -> World.generate(greedy))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidate")
        .hasMessageContaining("ask for fewer questions");
  }
}
