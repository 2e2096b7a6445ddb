package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.text.WordLevelTokenizerWriter.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordLevelTokenizerWriterTest {
  static final List<String> SPECIALS = WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS;
  static final String UNK = WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN;
  static final List<String> CORPUS =
      List.of(
          "The capital of France is Paris.",
          "Paris is a city; Lyon is a city, too!",
          "Who founded Acme? It's Ada Byron.");

  @TempDir Path dir;

  private TextTokenizer write(Options options) {
    List<String> words =
        WordLevelTokenizerWriter.vocabularyFrom(CORPUS.stream(), 1, 1000, options.lowercase());
    Path file = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    WordLevelTokenizerWriter.write(file, words, SPECIALS, UNK, options);
    return TextTokenizer.load(dir);
  }

  @Test
  void sentenceRoundTripsAsLowerCaseSpaceJoinedPieces() {
    try (TextTokenizer t = write(Options.defaults())) {
      String sentence = "the capital of france is paris .";
      long[] ids = t.encode(sentence);
      assertThat(ids).hasSize(7).doesNotContain(1L);
      assertThat(t.decode(ids)).isEqualTo(sentence);
      // Word-level decoding joins tokens with one space: case and original spacing are lost.
      assertThat(t.decode(t.encode("The capital of  France is Paris."))).isEqualTo(sentence);
      assertThat(t.tokenText(ids[5])).isEqualTo("paris");
    }
  }

  @Test
  void encodeOfDecodeIsTheIdentityOnIds() {
    try (TextTokenizer t = write(Options.defaults().withTags(AtomicTokens.SEARCH_R1_TAGS))) {
      Random random = new Random(7);
      for (int trial = 0; trial < 20; trial++) {
        long[] ids = random.longs(30, 0, t.vocabSize()).toArray();
        assertThat(t.encode(t.decode(ids))).isEqualTo(ids);
      }
    }
  }

  @Test
  void unknownWordsMapToUnk() {
    try (TextTokenizer t = write(Options.defaults())) {
      assertThat(t.encode("paris zebra")).containsExactly(t.tokenId("paris").getAsLong(), 1);
      assertThat(t.decode(t.encode("zebra"))).isEqualTo("<unk>");
    }
  }

  @Test
  void idsAreSpecialsThenTagsThenWords() {
    try (TextTokenizer t = write(Options.defaults().withTags(List.of("<search>", "</search>")))) {
      assertThat(t.tokenId("<pad>")).hasValue(0);
      assertThat(t.tokenId("<unk>")).hasValue(1);
      assertThat(t.tokenId("<|endoftext|>")).hasValue(2);
      assertThat(t.tokenId("<search>")).hasValue(3);
      assertThat(t.tokenId("</search>")).hasValue(4);
      // The most frequent piece ("is", 3 times) comes first; "." and "a" tie at 2, "." < "a".
      assertThat(t.tokenString(5)).hasValue("is");
      assertThat(t.addedTokens())
          .containsExactly("<pad>", "<unk>", "<|endoftext|>", "<search>", "</search>");
      assertThat(t.specialTokens()).containsExactly("<pad>", "<unk>", "<|endoftext|>");
      assertThat(t.eosTokenIds()).containsExactly(2);
      assertThat(t.padTokenId()).hasValue(0);
    }
  }

  @Test
  void specialTokensAndTagsAreAtomic() {
    try (TextTokenizer t = write(Options.defaults().withTags(List.of("<search>", "</search>")))) {
      long paris = t.tokenId("paris").getAsLong();
      assertThat(t.encode("<search>Paris</search><|endoftext|>")).containsExactly(3, paris, 4, 2);
      assertThat(t.decode(new long[] {3, paris, 4, 2}))
          .isEqualTo("<search> paris </search> <|endoftext|>");
      // Matching is on the raw text, before lowercasing.
      assertThat(t.encode("<SEARCH>")).doesNotContain(3L);
    }
  }

  @Test
  void punctuationIsSplitLikeTheWhitespacePreTokenizer() {
    String text = "It's 3.5km, ok?! Ünïcödé naïve_snake-case «quotes» 42nd—done";
    List<String> pieces = WordLevelTokenizerWriter.pieces(text, true);
    assertThat(pieces)
        .containsExactly(
            "it",
            "'",
            "s",
            "3",
            ".",
            "5km",
            ",",
            "ok",
            "?!",
            "ünïcödé",
            "naïve_snake",
            "-",
            "case",
            "«",
            "quotes",
            "»",
            "42nd",
            "—",
            "done");
    // The native pre-tokenizer agrees with the Java regex piece for piece.
    WordLevelTokenizerWriter.write(
        dir.resolve(TextTokenizer.TOKENIZER_JSON),
        WordLevelTokenizerWriter.vocabularyFrom(Stream.of(text), 1, 100),
        SPECIALS,
        UNK);
    try (TextTokenizer t = TextTokenizer.load(dir)) {
      long[] ids = t.encode(text);
      assertThat(ids).doesNotContain(1L);
      List<String> native_ = new ArrayList<>();
      for (long id : ids) {
        native_.add(t.tokenString(id).orElseThrow());
      }
      assertThat(native_).isEqualTo(pieces);
    }
  }

  @Test
  void vocabularyIsDeterministicByCountThenAlphabet() {
    List<String> texts = new ArrayList<>(List.of("b a c", "c b", "c, d", "e"));
    List<String> expected = List.of("c", "b", ",", "a", "d", "e");
    assertThat(WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, 100)).isEqualTo(expected);
    Collections.shuffle(texts, new Random(1));
    assertThat(WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, 100)).isEqualTo(expected);
    assertThat(WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 2, 100))
        .containsExactly("c", "b");
    assertThat(WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, 3))
        .containsExactly("c", "b", ",");
    assertThat(WordLevelTokenizerWriter.vocabularyFrom(Stream.of("A a"), 1, 9, false))
        .containsExactly("A", "a");
  }

  @Test
  void caseIsKeptWithoutLowercase() {
    try (TextTokenizer t = write(Options.defaults().withLowercase(false))) {
      assertThat(t.decode(t.encode("Paris paris"))).isEqualTo("Paris <unk>");
    }
  }

  @Test
  void tokenizerConfigIsWrittenBesideAndConsistent() throws Exception {
    try (TextTokenizer t = write(Options.defaults().withModelMaxLength(512))) {
      String config = Files.readString(dir.resolve("tokenizer_config.json"));
      assertThat(config)
          .contains("\"eos_token\" : \"<|endoftext|>\"", "\"pad_token\" : \"<pad>\"")
          .contains("\"model_max_length\" : 512", "\"unk_token\" : \"<unk>\"");
      assertThat(t.eosTokenIds()).containsExactly(t.tokenId("<|endoftext|>").getAsLong());
    }
  }

  @Test
  void rejectsDuplicateWordsNamingTheFile() {
    Path file = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    assertThatThrownBy(
            () -> WordLevelTokenizerWriter.write(file, List.of("a", "b", "a"), SPECIALS, UNK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("duplicate token 'a' (ids 3 and 5)");
    assertThatThrownBy(() -> WordLevelTokenizerWriter.write(file, List.of("<unk>"), SPECIALS, UNK))
        .hasMessageContaining("duplicate token '<unk>'");
    assertThat(file).doesNotExist();
  }

  @Test
  void rejectsWordsTheTokenizerCouldNeverProduce() {
    Path file = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    assertThatThrownBy(
            () -> WordLevelTokenizerWriter.write(file, List.of("new york"), SPECIALS, UNK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'new york' is not a single");
    assertThatThrownBy(() -> WordLevelTokenizerWriter.write(file, List.of("paris."), SPECIALS, UNK))
        .hasMessageContaining("'paris.' is not a single");
    assertThatThrownBy(() -> WordLevelTokenizerWriter.write(file, List.of("Paris"), SPECIALS, UNK))
        .hasMessageContaining("'Paris' is not lower case");
  }

  @Test
  void rejectsUnkEosOrPadOutsideTheSpecialTokens() {
    Path file = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    assertThatThrownBy(() -> WordLevelTokenizerWriter.write(file, List.of("a"), SPECIALS, "[UNK]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unk token '[UNK]'");
    assertThatThrownBy(
            () ->
                WordLevelTokenizerWriter.write(
                    file, List.of("a"), List.of("<pad>", "<unk>"), UNK, Options.defaults()))
        .hasMessageContaining("'<|endoftext|>' is neither a special token nor a tag");
  }
}
