package io.github.dartrl.grpo.reward;

import static io.github.dartrl.grpo.reward.RewardComponents.ANSWER_SPAM;
import static io.github.dartrl.grpo.reward.RewardComponents.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link AnswerSpamGuard}, {@link TruncationPolicy} and {@link RewardFunctions}. */
class DecoratorsTest {

  private static final List<String> GOLDS = List.of("Paris");

  private static RewardInput input(String response, boolean truncated) {
    return new RewardInput("q", GOLDS, response, truncated, 0, List.of());
  }

  private static String spam(int openTags, int closeTags, String last) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < openTags - 1; i++) {
      sb.append("<answer>guess").append(i).append(closeTags > i ? "</answer>" : "");
    }
    sb.append("<answer>").append(last).append("</answer>");
    sb.append("</answer>".repeat(Math.max(0, closeTags - openTags)));
    return sb.toString();
  }

  @Test
  void spamGuardDividesACorrectAnswerBeyondTenTags() {
    AnswerSpamGuard guard = AnswerSpamGuard.of(new ExactMatchReward());
    RewardResult ok = guard.score(input(spam(10, 10, "Paris"), false));
    assertThat(ok.reward()).isEqualTo(1.0);
    assertThat(ok.components()).containsEntry(ANSWER_SPAM, 0.0);

    RewardResult eleven = guard.score(input(spam(11, 11, "Paris"), false));
    assertThat(eleven.reward()).isEqualTo(0.25);
    assertThat(eleven.exactMatch()).isTrue();
    assertThat(eleven.components()).containsEntry(ANSWER_SPAM, 1.0);
  }

  @Test
  void spamGuardCountsOpeningAndClosingTagsSeparately() {
    AnswerSpamGuard guard = AnswerSpamGuard.of(new ExactMatchReward());
    String closes = "<answer>Paris</answer>" + "</answer>".repeat(10); // 1 open, 11 close
    assertThat(guard.score(input(closes, false)).reward()).isEqualTo(0.25);
    String opens = "<answer>Paris</answer>" + "<answer>".repeat(10); // 11 open, 1 close
    assertThat(guard.score(input(opens, false)).reward()).isEqualTo(0.25);
  }

  @Test
  void spamGuardLeavesZeroRewardsAlone() {
    RewardResult r =
        AnswerSpamGuard.of(new ExactMatchReward()).score(input(spam(12, 12, "Lyon"), false));
    assertThat(r.reward()).isZero();
    assertThat(r.components()).containsEntry(ANSWER_SPAM, 0.0);
  }

  @Test
  void spamGuardAlsoCutsPartialCredit() {
    RewardResult r =
        AnswerSpamGuard.of(new F1Reward()).score(input(spam(11, 11, "Paris France"), false));
    assertThat(r.reward()).isCloseTo(2.0 / 3 / 4, within(1e-12));
  }

  @Test
  void spamGuardValidatesItsParameters() {
    assertThatThrownBy(() -> new AnswerSpamGuard(null, 10, 4))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AnswerSpamGuard(new ExactMatchReward(), 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxTags");
    assertThatThrownBy(() -> new AnswerSpamGuard(new ExactMatchReward(), 10, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divisor");
    assertThatThrownBy(() -> new AnswerSpamGuard(new ExactMatchReward(), 10, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatedTrajectoriesScoreZeroByDefaultWithoutCallingTheDelegate() {
    AtomicInteger calls = new AtomicInteger();
    RewardFunction counting =
        in -> {
          calls.incrementAndGet();
          return new ExactMatchReward().score(in);
        };
    RewardResult r =
        RewardFunctions.withTruncation(counting, false)
            .score(input("<answer>Paris</answer><think>and more", true));
    assertThat(r.reward()).isZero();
    assertThat(r.exactMatch()).isFalse();
    assertThat(r.extractedAnswer()).isEqualTo("Paris");
    assertThat(r.components()).containsEntry(TRUNCATED, 1.0);
    assertThat(calls).hasValue(0);
  }

  @Test
  void truncatedTrajectoriesCanBeScored() {
    RewardResult r =
        RewardFunctions.withTruncation(new ExactMatchReward(), true)
            .score(input("<answer>Paris</answer><think>and more", true));
    assertThat(r.reward()).isEqualTo(1.0);
    assertThat(r.components()).containsEntry(TRUNCATED, 1.0).containsEntry("em", 1.0);
  }

  @Test
  void finishedTrajectoriesAreScoredNormally() {
    RewardResult r =
        RewardFunctions.withTruncation(new ExactMatchReward(), false)
            .score(input("<answer>Paris</answer>", false));
    assertThat(r.reward()).isEqualTo(1.0);
    assertThat(r.components()).containsEntry(TRUNCATED, 0.0);
  }

  @Test
  void truncationPolicyNeedsADelegate() {
    assertThatThrownBy(() -> RewardFunctions.withTruncation(null, false))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void namedBuildsTheTrainingStack() {
    RewardFunction em = RewardFunctions.named(" EM ");
    assertThat(em).isInstanceOf(TruncationPolicy.class);
    TruncationPolicy policy = (TruncationPolicy) em;
    assertThat(policy.scoreTruncated()).isFalse();
    assertThat(policy.delegate()).isInstanceOf(AnswerSpamGuard.class);
    assertThat(((AnswerSpamGuard) policy.delegate()).delegate()).isEqualTo(new ExactMatchReward());
    assertThat(em.score(input(spam(11, 11, "Paris"), false)).reward()).isEqualTo(0.25);
    assertThat(em.score(input("<answer>Paris</answer>", true)).reward()).isZero();
  }

  @Test
  void bareNames() {
    assertThat(RewardFunctions.bare("em")).isEqualTo(new ExactMatchReward());
    assertThat(RewardFunctions.bare("subem")).isEqualTo(new SubstringMatchReward());
    assertThat(RewardFunctions.bare("F1")).isEqualTo(new F1Reward());
    assertThat(RewardFunctions.bare("format")).isEqualTo(FormatReward.searchR1());
    for (String name : RewardFunctions.NAMES) {
      assertThat(RewardFunctions.named(name)).isNotNull();
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> RewardFunctions.named("bleu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bleu")
        .hasMessageContaining("em, subem, f1, format");
    assertThatThrownBy(() -> RewardFunctions.bare(null)).isInstanceOf(NullPointerException.class);
  }
}
