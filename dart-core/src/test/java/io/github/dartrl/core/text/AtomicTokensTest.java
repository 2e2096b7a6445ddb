package io.github.dartrl.core.text;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.text.AtomicTokens.AddedTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AtomicTokens} on a small word-level tokenizer (the Qwen3 case is in Qwen3TokenizerTest).
 */
class AtomicTokensTest {
  @TempDir Path dir;
  Path file;

  @BeforeEach
  void writeWordLevelTokenizer() {
    file = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    // ids: <pad>=0 <unk>=1 <|endoftext|>=2 <search>=3 </search>=4 paris=5 search=6
    WordLevelTokenizerWriter.write(
        file,
        List.of("paris", "search"),
        WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
        WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
        WordLevelTokenizerWriter.Options.defaults().withTags(List.of("<search>", "</search>")));
  }

  @Test
  void existingTokensKeepTheirIdsAndNewOnesAreAppended() {
    AddedTokens added =
        AtomicTokens.addTo(file, file, List.of("<answer>", "<search>", "paris", "</answer>"));
    assertThat(added.ids())
        .containsExactly(
            entry("<answer>", 7L),
            entry("<search>", 3L),
            entry("paris", 5L),
            entry("</answer>", 8L));
    assertThat(added.newTokens()).containsExactly("<answer>", "</answer>");
    assertThat(added.vocabSize()).isEqualTo(9);

    try (TextTokenizer t = TextTokenizer.load(dir)) {
      assertThat(t.vocabSize()).isEqualTo(9);
      assertThat(t.encode("<search>paris</search> <answer>paris</answer>"))
          .containsExactly(3, 5, 4, 7, 5, 8);
      assertThat(t.decode(new long[] {7, 5, 8})).isEqualTo("<answer> paris </answer>");
      assertThat(t.addedTokens()).endsWith("<answer>", "paris", "</answer>");
      assertThat(t.specialTokens()).doesNotContain("<answer>");
    }
  }

  @Test
  void addingAgainChangesNothing() throws Exception {
    Path once = dir.resolve("once.json");
    Path twice = dir.resolve("twice.json");
    AddedTokens first = AtomicTokens.addTo(file, once, AtomicTokens.SEARCH_R1_TAGS);
    AddedTokens second = AtomicTokens.addTo(once, twice, AtomicTokens.SEARCH_R1_TAGS);
    assertThat(first.newTokens()).hasSize(6); // <search> and </search> already existed
    assertThat(second.newTokens()).isEmpty();
    assertThat(second.ids()).isEqualTo(first.ids());
    assertThat(Files.readString(twice)).isEqualTo(Files.readString(once));
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void keepsFieldOrderAndCreatesMissingAddedTokens() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(file.toFile());
    List<String> fields = new ArrayList<>();
    root.fieldNames().forEachRemaining(fields::add);
    Path out = dir.resolve("out.json");
    AtomicTokens.addTo(file, out, List.of("<answer>"));
    List<String> outFields = new ArrayList<>();
    json.readTree(out.toFile()).fieldNames().forEachRemaining(outFields::add);
    assertThat(outFields).isEqualTo(fields);

    root.remove("added_tokens");
    json.writeValue(file.toFile(), root);
    AtomicTokens.addTo(file, file, List.of("<answer>", "<pad>"));
    ObjectNode written = (ObjectNode) json.readTree(file.toFile());
    assertThat(written.get("added_tokens")).hasSize(2);
    assertThat(written.at("/added_tokens/0/id").asInt()).isEqualTo(7);
    assertThat(written.at("/added_tokens/1/id").asInt()).isZero();
    assertThat(written.get("model")).isEqualTo(root.get("model"));
  }

  @Test
  void rejectsBadRequestsAndFiles() throws Exception {
    assertThatThrownBy(() -> AtomicTokens.addTo(file, file, List.of("<a>", "<a>")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'<a>' is repeated");
    assertThatThrownBy(() -> AtomicTokens.addTo(file, file, List.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> AtomicTokens.addTo(missing, file, List.of("<a>")))
        .isInstanceOf(TokenizerFormatException.class)
        .hasMessageStartingWith(missing.toString());

    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(file.toFile());
    ((ObjectNode) root.at("/model/vocab")).put("search", 60);
    json.writeValue(file.toFile(), root);
    assertThatThrownBy(() -> AtomicTokens.addTo(file, file, List.of("<a>")))
        .isInstanceOf(TokenizerFormatException.class)
        .hasMessageContaining("no token has id 6");
  }
}
