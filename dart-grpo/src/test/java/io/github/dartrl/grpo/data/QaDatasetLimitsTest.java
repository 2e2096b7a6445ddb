package io.github.dartrl.grpo.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A train file that is a directory, and a question far too long for any model, name the file. */
class QaDatasetLimitsTest {

  @Test
  void aDirectoryIsNamedAsSuch(@TempDir Path dir) {
    assertThatThrownBy(() -> QaDataset.readJsonl(dir))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a directory; expected a JSONL file");
  }

  @Test
  void aHugeQuestionNamesFileLineAndTheLimit(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("train.jsonl"),
            "{\"id\": \"a\", \"question\": \"short?\", \"golden_answers\": [\"x\"]}\n"
                + "{\"id\": \"b\", \"question\": \""
                + "q".repeat(800_000)
                + "\", \"golden_answers\": [\"x\"]}\n");
    assertThatThrownBy(() -> QaDataset.readJsonl(file))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(file + ":2")
        .hasMessageContaining("question")
        .hasMessageContaining("800000 characters; at most 65536");
  }
}
