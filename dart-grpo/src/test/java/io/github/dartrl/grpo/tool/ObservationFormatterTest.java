package io.github.dartrl.grpo.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.grpo.retrieval.Passage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationFormatterTest {

  @Test
  void textIsSearchR1PassagesToStringWithTheQuotedTitleLine() {
    // Search-R1: title = contents.split("\n")[0] (quotes kept), f"Doc {i+1}(Title: {title})
    // {text}\n"
    Passage paris = Passage.fromContents("1", "\"Paris\"\nParis is the capital of France.", 2.0);
    Passage lyon = Passage.fromContents("2", "\"Lyon\"\nLyon is a city.", 1.0);

    assertThat(ObservationFormatter.text(List.of(paris, lyon)))
        .isEqualTo(
            "\n\n<information>Doc 1(Title: \"Paris\") Paris is the capital of France.\n"
                + "Doc 2(Title: \"Lyon\") Lyon is a city.</information>\n\n");
  }
}
