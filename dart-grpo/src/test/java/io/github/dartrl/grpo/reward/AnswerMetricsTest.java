package io.github.dartrl.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMetricsTest {

  @Test
  void exactMatchIgnoresCaseArticlesPunctuationAndSpacing() {
    List<String> gold = List.of("The United States of America");
    assertThat(AnswerMetrics.exactMatch("united states of america", gold)).isTrue();
    assertThat(AnswerMetrics.exactMatch("  United   States\tof America. ", gold)).isTrue();
    assertThat(AnswerMetrics.exactMatch("an United States, of America!", gold)).isTrue();
    assertThat(AnswerMetrics.exactMatch("United States", gold)).isFalse();
  }

  @Test
  void exactMatchOnUnicode() {
    // Case folding reaches non-ASCII letters; non-ASCII punctuation is kept, as in Python.
    assertThat(AnswerMetrics.exactMatch("ÉCOLE Polytechnique", List.of("école polytechnique")))
        .isTrue();
    assertThat(AnswerMetrics.exactMatch("«Paris»", List.of("Paris"))).isFalse();
    assertThat(AnswerMetrics.exactMatch("São\u00a0Paulo", List.of("são paulo"))).isTrue();
  }

  @Test
  void exactMatchTriesEveryGold() {
    List<String> golds = List.of("NYC", "New York City", "the Big Apple");
    assertThat(AnswerMetrics.exactMatch("big apple", golds)).isTrue();
    assertThat(AnswerMetrics.exactMatch("new york", golds)).isFalse();
    assertThat(AnswerMetrics.exactMatch("anything", List.of())).isFalse();
  }

  @Test
  void substringMatch() {
    List<String> golds = List.of("Paris");
    assertThat(AnswerMetrics.substringMatch("Paris, France", golds)).isTrue();
    assertThat(AnswerMetrics.substringMatch("France", golds)).isFalse();
    // Character-level like Python's `in`: "paris" occurs inside "parisian".
    assertThat(AnswerMetrics.substringMatch("Parisian", golds)).isTrue();
  }

  @Test
  void substringMatchSkipsGoldsThatNormaliseToNothing() {
    // In Python "" in s is always true; here such golds never pay.
    assertThat(AnswerMetrics.substringMatch("whatever", List.of("The", "?"))).isFalse();
    assertThat(AnswerMetrics.substringMatch("Paris", List.of("The", "paris"))).isTrue();
  }

  @Test
  void f1HandComputed() {
    // "quick brown fox" vs "quick fox jumps": overlap 2, P = R = 2/3.
    assertThat(AnswerMetrics.f1("The quick brown fox", "quick fox jumps"))
        .isCloseTo(2.0 / 3, within(1e-12));
    // Repeated tokens count once per gold occurrence: P = 1/2, R = 1, F1 = 2/3.
    assertThat(AnswerMetrics.f1("paris paris", "Paris")).isCloseTo(2.0 / 3, within(1e-12));
    // P = 1/3, R = 1, F1 = 0.5.
    assertThat(AnswerMetrics.f1("New York City", "york")).isCloseTo(0.5, within(1e-12));
    assertThat(AnswerMetrics.f1("The Beatles", "beatles")).isEqualTo(1.0);
    assertThat(AnswerMetrics.f1("Rolling Stones", "Beatles")).isZero();
  }

  @Test
  void f1IsZeroWhenEitherSideIsEmptyAfterNormalising() {
    assertThat(AnswerMetrics.f1("", "Paris")).isZero();
    assertThat(AnswerMetrics.f1("Paris", "the")).isZero();
    assertThat(AnswerMetrics.f1("a", "the")).isZero();
  }

  @Test
  void maxF1TakesTheBestGold() {
    assertThat(AnswerMetrics.maxF1("New York City", List.of("york", "new york city")))
        .isEqualTo(1.0);
    assertThat(AnswerMetrics.maxF1("New York City", List.of("york", "boston")))
        .isCloseTo(0.5, within(1e-12));
    assertThat(AnswerMetrics.maxF1("x", List.of())).isZero();
  }

  @Test
  void containsAnyGoldWorksOnNormalisedText() {
    String block = AnswerNormalizer.normalize("Doc 1(Title: Paris) Paris is the capital.");
    assertThat(AnswerMetrics.containsAnyGold(block, List.of("PARIS"))).isTrue();
    assertThat(AnswerMetrics.containsAnyGold(block, List.of("Lyon"))).isFalse();
  }
}
