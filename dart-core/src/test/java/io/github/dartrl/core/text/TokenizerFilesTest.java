package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading tokenizer files: special-id resolution and every error path of {@link TextTokenizer}. */
class TokenizerFilesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Path tokenizerJson;
  Path tokenizerConfig;
  Path generationConfig;

  @BeforeEach
  void writeWordLevelTokenizer() {
    tokenizerJson = dir.resolve("tokenizer.json");
    tokenizerConfig = dir.resolve("tokenizer_config.json");
    generationConfig = dir.resolve("generation_config.json");
    // ids: <pad>=0 <unk>=1 <|endoftext|>=2 <search>=3 paris=4 is=5
    WordLevelTokenizerWriter.write(
        tokenizerJson,
        List.of("paris", "is"),
        WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
        WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
        WordLevelTokenizerWriter.Options.defaults().withTags(List.of("<search>")));
  }

  private void edit(Path file, Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    change.accept(root);
    JSON.writeValue(file.toFile(), root);
  }

  private AbstractThrowableAssert<?, ?> assertLoadFails(Path file, String field) {
    return assertThatThrownBy(() -> TextTokenizer.load(dir).close())
        .isInstanceOfSatisfying(
            TokenizerFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.field()).isEqualTo(field);
            })
        .hasMessageStartingWith(file.toString());
  }

  @Test
  void missingTokenizerJson() throws Exception {
    Files.delete(tokenizerJson);
    assertLoadFails(tokenizerJson, null).hasMessageContaining("file not found");
  }

  @Test
  void malformedJson() throws Exception {
    Files.writeString(tokenizerJson, "{\"version\": \"1.0\", \"model\": {");
    assertLoadFails(tokenizerJson, null).hasMessageContaining("malformed JSON");
    Files.writeString(tokenizerJson, "[]");
    assertLoadFails(tokenizerJson, null).hasMessageContaining("not a JSON object");
  }

  @Test
  void missingOrBadModelFields() throws Exception {
    edit(tokenizerJson, r -> ((ObjectNode) r.get("model")).put("type", "Bogus"));
    assertLoadFails(tokenizerJson, null).hasMessageContaining("rejected by the HuggingFace");
    edit(tokenizerJson, r -> ((ObjectNode) r.get("model")).remove("vocab"));
    assertLoadFails(tokenizerJson, "model.vocab");
    edit(tokenizerJson, r -> r.remove("model"));
    assertLoadFails(tokenizerJson, "model");
  }

  @Test
  void badVocabularyIds() throws Exception {
    edit(tokenizerJson, r -> ((ObjectNode) r.at("/model/vocab")).put("paris", "four"));
    assertLoadFails(tokenizerJson, "model.vocab[\"paris\"]");
    edit(tokenizerJson, r -> ((ObjectNode) r.at("/model/vocab")).put("paris", 5));
    assertLoadFails(tokenizerJson, "model.vocab").hasMessageContaining("id 5 is used by both");
  }

  @Test
  void addedTokenIdsMustAgree() throws Exception {
    edit(tokenizerJson, r -> ((ObjectNode) r.at("/added_tokens/3")).put("id", 4));
    assertLoadFails(tokenizerJson, "added_tokens[3].id").hasMessageContaining("'<search>'");
    writeWordLevelTokenizer();
    // A new added token after a gap: the library would number it 6, not 9.
    edit(
        tokenizerJson,
        r -> ((ArrayNode) r.get("added_tokens")).add(TokenizerJson.addedToken(9, "<x>", false)));
    assertLoadFails(tokenizerJson, "added_tokens[4].id")
        .hasMessageContaining("declared as id 9 but the tokenizer assigns 6");
    edit(tokenizerJson, r -> ((ObjectNode) r.at("/added_tokens/4")).remove("content"));
    assertLoadFails(tokenizerJson, "added_tokens[4].content");
  }

  @Test
  void eosAndPadFromTokenizerConfigForms() throws Exception {
    edit(tokenizerConfig, r -> r.putObject("eos_token").put("content", "<search>"));
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      assertThat(t.eosTokenIds()).containsExactly(3);
      assertThat(t.padTokenId()).hasValue(0);
    }
    edit(tokenizerConfig, r -> r.remove("pad_token"));
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      assertThat(t.padTokenId()).hasValue(3); // falls back to the first eos
    }
    Files.delete(tokenizerConfig);
    try (TextTokenizer t = TextTokenizer.load(dir.resolve("tokenizer.json"))) {
      assertThat(t.eosTokenIds()).isEmpty();
      assertThat(t.padTokenId()).isEmpty();
    }
  }

  @Test
  void badTokenizerConfig() throws Exception {
    edit(tokenizerConfig, r -> r.put("eos_token", "</s>"));
    assertLoadFails(tokenizerConfig, "eos_token").hasMessageContaining("'</s>' is neither");
    edit(tokenizerConfig, r -> r.putObject("eos_token").put("content", 2));
    assertLoadFails(tokenizerConfig, "eos_token.content");
    Files.writeString(tokenizerConfig, "{\"eos_token\": ");
    assertLoadFails(tokenizerConfig, null).hasMessageContaining("malformed JSON");
  }

  @Test
  void generationConfigIdsWinAndAreChecked() throws Exception {
    Files.writeString(generationConfig, "{\"eos_token_id\": 5, \"pad_token_id\": 1}");
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      assertThat(t.eosTokenIds()).containsExactly(5);
      assertThat(t.padTokenId()).hasValue(1);
    }
    Files.writeString(generationConfig, "{\"eos_token_id\": [2, 6]}");
    assertLoadFails(generationConfig, "eos_token_id[1]").hasMessageContaining("size 6");
    Files.writeString(generationConfig, "{\"eos_token_id\": 2, \"pad_token_id\": \"<pad>\"}");
    assertLoadFails(generationConfig, "pad_token_id");
  }
}
