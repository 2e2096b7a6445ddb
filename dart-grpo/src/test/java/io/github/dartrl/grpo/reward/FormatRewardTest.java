package io.github.dartrl.grpo.reward;

import static io.github.dartrl.grpo.reward.RewardComponents.FORMAT_VALID;
import static io.github.dartrl.grpo.reward.RewardComponents.RETRIEVAL_HIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per row of the Search-R1 v0.3 table (anchors-rl §1.4). */
class FormatRewardTest {

  private static final FormatReward V03 = FormatReward.searchR1();
  private static final List<String> GOLDS = List.of("Paris");
  private static final String HIT = "Doc 1(Title: Paris) Paris is the capital of France.";
  private static final String MISS = "Doc 1(Title: Lyon) Lyon is a city.";

  private static RewardResult score(String response, String observation) {
    return V03.score(new RewardInput("q", GOLDS, response, false, 1, List.of(observation)));
  }

  private static String valid(String observation, String answer) {
    return "<think>t</think><search>q</search><information>"
        + observation
        + "</information><think>t</think><answer>"
        + answer
        + "</answer>";
  }

  private static String invalid(String observation, String answer) {
    return "Let me see. " + valid(observation, answer);
  }

  @Test
  void rowNoAnswerValidRetrievalHit() {
    // Unreachable through score() on a response (a valid response has an answer).
    assertThat(V03.reward(false, false, true, true)).isEqualTo(0.2);
    assertThat(new FormatReward(1, 0.2, 0.1, 0.1, true).reward(false, false, true, true))
        .isCloseTo(0.3, within(1e-12));
  }

  @Test
  void rowNoAnswerValidNoHit() {
    assertThat(V03.reward(false, false, true, false)).isEqualTo(0.2);
  }

  @Test
  void rowNoAnswerInvalid() {
    assertThat(V03.reward(false, false, false, true)).isZero();
    RewardResult r = score("<think>t</think> I give up", HIT);
    assertThat(r.reward()).isZero();
    assertThat(r.extractedAnswer()).isNull();
  }

  @Test
  void rowCorrectValid() {
    RewardResult r = score(valid(HIT, "Paris"), HIT);
    assertThat(r.reward()).isEqualTo(1.0);
    assertThat(r.exactMatch()).isTrue();
    assertThat(r.components()).containsEntry(FORMAT_VALID, 1.0).containsEntry(RETRIEVAL_HIT, 1.0);
  }

  @Test
  void rowCorrectInvalid() {
    RewardResult r = score(invalid(HIT, "Paris"), HIT);
    assertThat(r.reward()).isCloseTo(0.8, within(1e-12));
    assertThat(r.exactMatch()).isTrue();
    assertThat(r.components()).containsEntry(FORMAT_VALID, 0.0);
  }

  @Test
  void rowWrongValidRetrievalHit() {
    assertThat(score(valid(HIT, "Lyon"), HIT).reward()).isEqualTo(0.2);
    FormatReward withBonus = new FormatReward(1, 0.2, 0.1, 0.1, true);
    RewardResult r =
        withBonus.score(new RewardInput("q", GOLDS, valid(HIT, "Lyon"), false, 1, List.of(HIT)));
    assertThat(r.reward()).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void rowWrongValidNoHit() {
    FormatReward withBonus = new FormatReward(1, 0.2, 0.1, 0.1, true);
    RewardResult r =
        withBonus.score(new RewardInput("q", GOLDS, valid(MISS, "Lyon"), false, 1, List.of(MISS)));
    assertThat(r.reward()).isEqualTo(0.2);
    assertThat(r.components()).containsEntry(RETRIEVAL_HIT, 0.0);
  }

  @Test
  void rowWrongInvalid() {
    RewardResult r = score(invalid(HIT, "Lyon"), HIT);
    assertThat(r.reward()).isEqualTo(0.1);
    assertThat(r.exactMatch()).isFalse();
  }

  @Test
  void optionalThink() {
    String noThink =
        "<search>q</search><information>" + HIT + "</information><answer>Paris</answer>";
    RewardInput in = new RewardInput("q", GOLDS, noThink, false, 1, List.of(HIT));
    assertThat(V03.score(in).reward()).isCloseTo(0.8, within(1e-12));
    assertThat(V03.withRequireThink(false).score(in).reward()).isEqualTo(1.0);
  }

  @Test
  void scoresMustBeFinite() {
    assertThatThrownBy(() -> new FormatReward(Double.NaN, 0.2, 0.1, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correctScore");
    assertThatThrownBy(() -> new FormatReward(1, 0.2, 0.1, Double.POSITIVE_INFINITY, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retrievalScore");
  }
}
