package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code unk_token} missing from the vocabulary is refused at load, naming the file and field;
 * the native library failed only at the first unknown word, naming neither.
 */
class TokenizerUnkTokenTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void unkTokenMissingFromTheVocabularyIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    WordLevelTokenizerWriter.write(
        file,
        List.of("paris", "is"),
        WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
        WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
        WordLevelTokenizerWriter.Options.defaults());
    try (TextTokenizer ok = TextTokenizer.load(dir)) {
      assertThat(ok.encode("paris is rome")).hasSize(3); // rome is <unk>
    }
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    ((ObjectNode) root.get("model")).put("unk_token", "[UNK]");
    JSON.writeValue(file.toFile(), root);
    assertThatThrownBy(() -> TextTokenizer.load(dir).close())
        .isInstanceOfSatisfying(
            TokenizerFormatException.class, e -> assertThat(e.field()).isEqualTo("model.unk_token"))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("\"[UNK]\" is not in model.vocab");
  }
}
