package io.github.dartrl.grpo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchR1FormatTest {

  static final String TWO_HOPS =
      "<think>need the capital</think>\n<search>capital of France</search>\n\n"
          + "<information>Doc 1(Title: Paris) Paris is the capital.</information>\n\n"
          + "<think>one more</think> <search>Paris river</search>"
          + "<information>Doc 1(Title: Seine) ...</information>"
          + "<think>done</think>\n<answer>Seine</answer>\n";

  @Test
  void acceptsTheGrammar() {
    assertThat(SearchR1Format.isValid("<think>x</think><answer>y</answer>", true)).isTrue();
    assertThat(SearchR1Format.isValid(TWO_HOPS, true)).isTrue();
    assertThat(SearchR1Format.isValid("\u00a0 <think>x</think>\n<answer>y</answer> \n", true))
        .isTrue();
  }

  @Test
  void needsNoAssistantMarker() {
    // Search-R1 requires "<|im_start|>assistant" because it checks prompt + response; we do not.
    assertThat(SearchR1Format.violation("<think>x</think><answer>y</answer>", true)).isEmpty();
  }

  @Test
  void rejectsUnbalancedTags() {
    assertThat(SearchR1Format.violation("<think>x<answer>y</answer>", true))
        .hasValueSatisfying(v -> assertThat(v).contains("think").contains("1 opening vs 0"));
  }

  @Test
  void rejectsTextBetweenBlocks() {
    assertThat(SearchR1Format.violation("<think>x</think> so: <answer>y</answer>", true))
        .hasValueSatisfying(v -> assertThat(v).contains("unexpected text 'so:'"));
    assertThat(SearchR1Format.isValid("Sure! <think>x</think><answer>y</answer>", true)).isFalse();
  }

  @Test
  void rejectsTextAfterTheAnswer() {
    assertThat(SearchR1Format.violation("<think>x</think><answer>y</answer> bye", true))
        .hasValueSatisfying(v -> assertThat(v).contains("state end"));
  }

  @Test
  void rejectsWrongOrder() {
    // Search right after an observation, without thinking first.
    String noThinkAfterInfo =
        "<think>a</think><search>q</search><information>i</information>"
            + "<search>q2</search><information>i</information><think>b</think><answer>y</answer>";
    assertThat(SearchR1Format.violation(noThinkAfterInfo, true))
        .hasValueSatisfying(v -> assertThat(v).contains("unexpected tag <search>"));
    // A search with no information after it.
    assertThat(
            SearchR1Format.isValid(
                "<think>a</think><search>q</search><think>b</think><answer>y</answer>", true))
        .isFalse();
    // Two answers.
    assertThat(
            SearchR1Format.isValid(
                "<think>a</think><answer>x</answer><think>b</think><answer>y</answer>", true))
        .isFalse();
    // Nested tags inside a block.
    assertThat(
            SearchR1Format.isValid("<think>a <search>q</search></think><answer>y</answer>", true))
        .isFalse();
  }

  @Test
  void rejectsIncompleteSequences() {
    assertThat(SearchR1Format.violation("<think>x</think><search>q</search>", true))
        .hasValueSatisfying(v -> assertThat(v).contains("incomplete").contains("after_search"));
    assertThat(SearchR1Format.violation("", true))
        .hasValueSatisfying(v -> assertThat(v).contains("state start"));
  }

  @Test
  void thinkCanBeMadeOptional() {
    String bare = "<search>q</search><information>i</information><answer>y</answer>";
    assertThat(SearchR1Format.isValid(bare, true)).isFalse();
    assertThat(SearchR1Format.isValid(bare, false)).isTrue();
    assertThat(SearchR1Format.isValid("<answer>y</answer>", false)).isTrue();
    // Thinking is still allowed, and still in its places only.
    assertThat(SearchR1Format.isValid(TWO_HOPS, false)).isTrue();
    assertThat(SearchR1Format.isValid("<think>a</think><think>b</think><answer>y</answer>", false))
        .isFalse();
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> SearchR1Format.isValid(null, true))
        .isInstanceOf(NullPointerException.class);
  }
}
