package io.github.dartrl.grpo.reward;

import static io.github.dartrl.grpo.reward.RewardComponents.ANSWER_FOUND;
import static io.github.dartrl.grpo.reward.RewardComponents.EM;
import static io.github.dartrl.grpo.reward.RewardComponents.F1;
import static io.github.dartrl.grpo.reward.RewardComponents.SUBEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ExactMatchReward}, {@link SubstringMatchReward} and {@link F1Reward}. */
class BaseRewardsTest {

  private static final List<String> GOLDS = List.of("Paris", "City of Light");

  private static RewardInput input(String response) {
    return RewardInput.of("capital of France?", GOLDS, response);
  }

  @Test
  void exactMatchPaysOneForACorrectAnswer() {
    RewardResult r = new ExactMatchReward().score(input("<think>t</think><answer>paris.</answer>"));
    assertThat(r.reward()).isEqualTo(1.0);
    assertThat(r.exactMatch()).isTrue();
    assertThat(r.extractedAnswer()).isEqualTo("paris.");
    assertThat(r.components()).containsEntry(ANSWER_FOUND, 1.0).containsEntry(EM, 1.0);
  }

  @Test
  void exactMatchMatchesAnyGold() {
    assertThat(new ExactMatchReward().score(input("<answer>the city of light</answer>")).reward())
        .isEqualTo(1.0);
  }

  @Test
  void exactMatchPaysZeroForWrongOrMissingAnswers() {
    RewardResult wrong = new ExactMatchReward().score(input("<answer>Paris, France</answer>"));
    assertThat(wrong.reward()).isZero();
    assertThat(wrong.exactMatch()).isFalse();
    RewardResult none = new ExactMatchReward().score(input("Paris"));
    assertThat(none.reward()).isZero();
    assertThat(none.extractedAnswer()).isNull();
    assertThat(none.components()).containsEntry(ANSWER_FOUND, 0.0).containsEntry(EM, 0.0);
  }

  @Test
  void substringMatchIsLenient() {
    RewardResult r = new SubstringMatchReward().score(input("<answer>Paris, France</answer>"));
    assertThat(r.reward()).isEqualTo(1.0);
    assertThat(r.exactMatch()).isFalse();
    assertThat(r.components()).containsEntry(SUBEM, 1.0).containsEntry(EM, 0.0);
    assertThat(new SubstringMatchReward().score(input("<answer>Lyon</answer>")).reward()).isZero();
    assertThat(new SubstringMatchReward().score(input("no answer Paris")).reward()).isZero();
  }

  @Test
  void f1PaysPartialCredit() {
    // "paris france" vs "paris": P = 1/2, R = 1 -> 2/3.
    RewardResult r = new F1Reward().score(input("<answer>Paris France</answer>"));
    assertThat(r.reward()).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(r.exactMatch()).isFalse();
    assertThat(r.components().get(F1)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(new F1Reward().score(input("<answer>Paris</answer>")).exactMatch()).isTrue();
    assertThat(new F1Reward().score(input("Paris")).reward()).isZero();
  }
}
