package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PassageTest {

  @Test
  void splitsSearchR1ContentsAndRebuildsThem() {
    Passage p =
        Passage.fromContents("0", "\"Evan Morris\"\nEvan L. Morris was a lobbyist.\nMore.", 1.5);
    assertThat(p.title()).isEqualTo("Evan Morris");
    assertThat(p.text()).isEqualTo("Evan L. Morris was a lobbyist.\nMore.");
    assertThat(Passage.fromContents("0", p.contents(), 1.5)).isEqualTo(p);
  }

  @Test
  void contentsWithoutNewlineIsAllTitleAsInSearchR1() {
    Passage p = Passage.fromContents("", "just one line", Double.NaN);
    assertThat(p.title()).isEqualTo("just one line");
    assertThat(p.text()).isEmpty();
    assertThat(p.hasScore()).isFalse();
  }

  @Test
  void stripsAllSurroundingQuotesLikePythonStrip() {
    assertThat(Passage.fromContents("", "\"\"Quoted\" title\"\ntext", 0).title())
        .isEqualTo("Quoted\" title");
  }
}
