package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateFileTest {

  @Test
  void aWrittenTemplateReadsBackAndPromptsAlike(@TempDir Path tmp) throws Exception {
    PromptTemplate t = new PromptTemplate("Answer ü « {question} »\n<think>", true);
    Path f = tmp.resolve("prompt.txt");
    PromptTemplateFile.write(t, f);
    PromptTemplate back = RolloutOptions.template("file:" + f, tmp);
    assertThat(back).isEqualTo(t);
    assertThat(back.apply("who is X")).isEqualTo("Answer ü « who is X? »\n<think>");
  }

  @Test
  void aTemplateThatKeepsQuestionsAsTheyAreCannotBeWritten(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                PromptTemplateFile.write(new PromptTemplate("{question}", false), tmp.resolve("p")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'?'");
  }

  @Test
  void badFilesAreNamedWithWhatWasExpected(@TempDir Path tmp) throws Exception {
    Path none = tmp.resolve("none.txt");
    Files.writeString(none, "no placeholder");
    Path two = tmp.resolve("two.txt");
    Files.writeString(two, "{question} and {question}");
    Path latin1 = tmp.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'{', 'q', (byte) 0xE9, '}'});
    assertThatThrownBy(() -> PromptTemplateFile.read(tmp.resolve("missing.txt")))
        .hasMessageContaining("missing.txt")
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> PromptTemplateFile.read(none))
        .hasMessageContaining("none.txt")
        .hasMessageContaining("found none");
    assertThatThrownBy(() -> PromptTemplateFile.read(two))
        .hasMessageContaining("two.txt")
        .hasMessageContaining("found several");
    assertThatThrownBy(() -> PromptTemplateFile.read(latin1))
        .hasMessageContaining("latin1.txt")
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> RolloutOptions.template("mine", tmp))
        .hasMessageContaining("file:PATH");
  }
}
