package io.github.dartrl.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected values follow Search-R1's Python {@code normalize_answer}, worked by hand. */
class AnswerNormalizerTest {

  @Test
  void lowercasesDropsPunctuationArticlesAndExtraSpace() {
    assertThat(AnswerNormalizer.normalize("  The Quick,  Brown fox!! "))
        .isEqualTo("quick brown fox");
    assertThat(AnswerNormalizer.normalize("U.S.A.")).isEqualTo("usa");
    assertThat(AnswerNormalizer.normalize("rock & roll")).isEqualTo("rock roll");
    assertThat(AnswerNormalizer.normalize("An apple a day")).isEqualTo("apple day");
  }

  @Test
  void articlesOnlyAsWholeWords() {
    assertThat(AnswerNormalizer.normalize("Theater and Anthem")).isEqualTo("theater and anthem");
    assertThat(AnswerNormalizer.normalize("a")).isEmpty();
    assertThat(AnswerNormalizer.normalize("the a an")).isEmpty();
  }

  @Test
  void punctuationGoesBeforeArticlesAsInSearchR1() {
    // "the-end" -> "theend": the hyphen is removed first, so no article is left to drop.
    assertThat(AnswerNormalizer.normalize("the-end")).isEqualTo("theend");
    // "the." -> "the" -> article removed.
    assertThat(AnswerNormalizer.normalize("the.")).isEmpty();
    // apostrophe removed before the article test: "a's" -> "as"
    assertThat(AnswerNormalizer.normalize("a's")).isEqualTo("as");
  }

  @Test
  void onlyAsciiPunctuationIsRemoved() {
    // Python's string.punctuation is ASCII; an em dash and guillemets stay.
    assertThat(AnswerNormalizer.normalize("«Paris» — France")).isEqualTo("«paris» — france");
  }

  @Test
  void unicodeWhitespaceCollapsesLikePythonSplit() {
    assertThat(AnswerNormalizer.normalize("New\u00a0York\tCity\n\u2003 USA\u0085"))
        .isEqualTo("new york city usa");
  }

  @Test
  void unicodeLettersAreWordCharactersForArticleBoundaries() {
    // "thé" is one word; "the" followed by a non-ASCII letter is not an article.
    assertThat(AnswerNormalizer.normalize("Thé Élan")).isEqualTo("thé élan");
    assertThat(AnswerNormalizer.normalize("Ängel the Über")).isEqualTo("ängel über");
  }

  @Test
  void emptyAndNull() {
    assertThat(AnswerNormalizer.normalize("")).isEmpty();
    assertThat(AnswerNormalizer.normalize(" ,.; ")).isEmpty();
    assertThatThrownBy(() -> AnswerNormalizer.normalize(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void exactMatchComparesNormalForms() {
    assertThat(AnswerNormalizer.exactMatch("The Beatles.", "beatles")).isTrue();
    assertThat(AnswerNormalizer.exactMatch("Beatles", "The Rolling Stones")).isFalse();
  }
}
