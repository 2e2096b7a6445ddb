package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalAccuracyTest {

  private static Passage p(String title, String text) {
    return new Passage("", title, text, Double.NaN);
  }

  @Test
  void matchesNormalisedAnswersAsWholeWords() {
    List<Passage> hits = List.of(p("Oslo", "The capital of Norway, since 1814."));
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("NORWAY!"))).isTrue();
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("the capital of norway"))).isTrue();
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("oslo capital"))).isTrue();
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("181"))).isFalse();
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("Sweden", "1814"))).isTrue();
  }

  @Test
  void emptyAnswersAndEmptyPassagesNeverMatch() {
    List<Passage> hits = List.of(p("The", "a an the"));
    assertThat(RetrievalAccuracy.containsAnswer(hits, List.of("the", "", "."))).isFalse();
    assertThat(RetrievalAccuracy.containsAnswer(List.of(), List.of("x"))).isFalse();
  }

  @Test
  void hitRateIsTheFractionOfQueriesWithAHit() {
    List<List<Passage>> results =
        List.of(List.of(p("A", "alpha")), List.of(p("B", "beta")), List.of());
    assertThat(
            RetrievalAccuracy.hitRate(
                results, List.of(List.of("alpha"), List.of("gamma"), List.of("x"))))
        .isEqualTo(1.0 / 3);
    assertThat(RetrievalAccuracy.hitRate(List.of(), List.of())).isZero();
    assertThatThrownBy(() -> RetrievalAccuracy.hitRate(results, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
