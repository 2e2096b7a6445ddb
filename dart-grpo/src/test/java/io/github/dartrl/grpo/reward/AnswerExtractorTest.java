package io.github.dartrl.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected values follow Python's {@code re.finditer(r"<answer>(.*?)</answer>", s, re.DOTALL)}. */
class AnswerExtractorTest {

  @Test
  void noAnswerBlockGivesNull() {
    assertThat(AnswerExtractor.extract("")).isNull();
    assertThat(AnswerExtractor.extract("<think>Paris</think>")).isNull();
    assertThat(AnswerExtractor.extract("Paris</answer>")).isNull();
  }

  @Test
  void oneBlockIsEnoughAndIsStripped() {
    assertThat(AnswerExtractor.extract("<think>x</think>\n<answer>  Paris \n</answer>"))
        .isEqualTo("Paris");
  }

  @Test
  void stripRemovesPythonWhitespaceIncludingNoBreakSpace() {
    assertThat(AnswerExtractor.extract("<answer>\u00a0Paris\u2003\u0085</answer>"))
        .isEqualTo("Paris");
  }

  @Test
  void emptyBlockGivesEmptyStringNotNull() {
    assertThat(AnswerExtractor.extract("<answer> </answer>")).isEmpty();
  }

  @Test
  void severalBlocksGiveTheLast() {
    assertThat(AnswerExtractor.extract("<answer>Lyon</answer> no wait <answer>Paris</answer>"))
        .isEqualTo("Paris");
  }

  @Test
  void contentMaySpanLines() {
    assertThat(AnswerExtractor.extract("<answer>New\nYork</answer>")).isEqualTo("New\nYork");
  }

  @Test
  void answerInTheMiddleThenMoreTextStillCounts() {
    assertThat(AnswerExtractor.extract("<answer>Paris</answer> and then I kept talking"))
        .isEqualTo("Paris");
  }

  @Test
  void nestedOpeningTagBelongsToTheContent() {
    // Non-greedy from the first <answer>: Python gives "a <answer>b" too.
    assertThat(AnswerExtractor.extract("<answer>a <answer>b</answer>")).isEqualTo("a <answer>b");
  }

  @Test
  void unclosedLastBlockIsIgnored() {
    assertThat(AnswerExtractor.extract("<answer>Paris</answer> <answer>Lyon")).isEqualTo("Paris");
    assertThat(AnswerExtractor.extract("<answer>Lyon")).isNull();
  }

  @Test
  void strayClosingTagsBetweenBlocks() {
    assertThat(AnswerExtractor.extract("</answer><answer>x</answer></answer>")).isEqualTo("x");
  }

  @Test
  void countsTags() {
    String text = "<answer>a</answer><answer>b</answer></answer>";
    assertThat(AnswerExtractor.countOpenTags(text)).isEqualTo(2);
    assertThat(AnswerExtractor.countCloseTags(text)).isEqualTo(3);
    assertThat(AnswerExtractor.countOpenTags("no tags")).isZero();
  }

  @Test
  void nullResponseIsRejected() {
    assertThatThrownBy(() -> AnswerExtractor.extract(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AnswerExtractor.countOpenTags(null))
        .isInstanceOf(NullPointerException.class);
  }
}
