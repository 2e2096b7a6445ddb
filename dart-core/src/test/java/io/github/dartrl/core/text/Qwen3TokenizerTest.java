package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.text.TextTokenizer.Encoded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextTokenizer} and {@link AtomicTokens} on the real Qwen3 byte-level BPE tokenizer. */
class Qwen3TokenizerTest {
  static final long IM_START = 151644;
  static final long IM_END = 151645;
  static final long ENDOFTEXT = 151643;
  static final String SEARCH_R1 =
      "<think>I need the capital of France.</think>\n"
          + "<search> capital of France </search>\n\n"
          + "<information>Doc 1(Title: \"Paris\") Paris is the capital of France.</information>\n\n"
          + "<think>It is Paris.</think>\n<answer> Paris </answer><|im_end|>";

  @TempDir static Path tmp;
  static Path dir;
  static TextTokenizer qwen;

  @BeforeAll
  static void load() {
    dir = TestTokenizers.qwen3(tmp);
    qwen = TextTokenizer.load(dir);
  }

  @AfterAll
  static void close() {
    qwen.close();
  }

  @Test
  void doesNotTruncateLongText() {
    String text = " word".repeat(1000) + "<|im_end|>" + " x1".repeat(500);
    long[] ids = qwen.encode(text);
    // DJL's default would cut this to 512 tokens.
    assertThat(ids.length).isGreaterThan(2000);
    assertThat(ids[1000]).isEqualTo(IM_END);
    assertThat(qwen.decode(ids)).isEqualTo(text);
  }

  @Test
  void imEndIsOneSpecialTokenThatDecodeKeeps() {
    long[] ids = qwen.encode("<|im_start|>assistant\nhi<|im_end|>");
    assertThat(ids).startsWith(IM_START).endsWith(IM_END);
    assertThat(qwen.tokenId("<|im_end|>")).hasValue(IM_END);
    assertThat(qwen.tokenText(IM_END)).isEqualTo("<|im_end|>");
    assertThat(qwen.decode(ids)).isEqualTo("<|im_start|>assistant\nhi<|im_end|>");
    assertThat(qwen.specialTokens()).contains("<|im_end|>", "<|endoftext|>");
  }

  @Test
  void noSpecialTokensAreAdded() {
    assertThat(qwen.encode("hello")).containsExactly(14990);
    assertThat(qwen.encode("")).isEmpty();
  }

  @Test
  void offsetsCoverTheTextInCharIndices() {
    String text = "Paris<|im_end|>\n  naïve 😀 東京 𓀁𓀂 ꙮ <search>x</search>";
    Encoded e = qwen.encodeWithOffsets(text);
    assertThat(e.charStart()[0]).isZero();
    assertThat(e.charEnd()[e.size() - 1]).isEqualTo(text.length());
    for (int i = 0; i < e.size(); i++) {
      assertThat(e.charStart()[i]).isLessThan(e.charEnd()[i]);
      if (i > 0) {
        // No gaps; a shared span only where a character is split over byte-level tokens.
        assertThat(e.charStart()[i]).isBetween(e.charStart()[i - 1], e.charEnd()[i - 1]);
      }
    }
    int imEnd = Arrays.stream(e.ids()).boxed().toList().indexOf(IM_END);
    assertThat(text.substring(e.charStart()[imEnd], e.charEnd()[imEnd])).isEqualTo("<|im_end|>");
    // The emoji is a surrogate pair: DJL's code-point offsets must have been converted.
    int last = e.size() - 1;
    assertThat(text.substring(e.charStart()[last], e.charEnd()[last])).isEqualTo(">");
    for (int i = 0; i < e.size(); i++) {
      String piece = text.substring(e.charStart()[i], e.charEnd()[i]);
      if (piece.codePoints().allMatch(c -> c < 128)) {
        assertThat(qwen.tokenText(e.ids()[i])).isEqualTo(piece);
      }
    }
  }

  @Test
  void characterSplitOverByteLevelTokensSharesItsSpan() {
    // U+13000 is a surrogate pair in Java and three byte-level tokens in Qwen's BPE.
    Encoded e = qwen.encodeWithOffsets("a\uD80C\uDC00b");
    assertThat(e.ids()).containsExactly(64, 124373, 222, 222, 65);
    assertThat(e.charStart()).containsExactly(0, 1, 1, 1, 3);
    assertThat(e.charEnd()).containsExactly(1, 3, 3, 3, 4);
  }

  @Test
  void specialIdsComeFromTokenizerConfig() {
    assertThat(qwen.eosTokenIds()).containsExactly(IM_END);
    assertThat(qwen.padTokenId()).hasValue(ENDOFTEXT);
  }

  @Test
  void generationConfigWinsOverTokenizerConfig(@TempDir Path other) throws Exception {
    Path copy = other;
    for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
      Files.copy(dir.resolve(name), copy.resolve(name));
    }
    Files.writeString(
        copy.resolve("generation_config.json"),
        "{\"bos_token_id\": 151643, \"eos_token_id\": [151645, 151643], \"do_sample\": true}");
    try (TextTokenizer t = TextTokenizer.load(copy)) {
      assertThat(t.eosTokenIds()).containsExactly(IM_END, ENDOFTEXT);
      assertThat(t.padTokenId()).hasValue(ENDOFTEXT); // tokenizer_config's pad_token
    }
  }

  @Test
  void vocabularyTablesIncludeAddedTokens() {
    assertThat(qwen.vocabSize()).isEqualTo(151669);
    assertThat(qwen.tokenId("<think>")).hasValue(151667);
    assertThat(qwen.tokenId("Ġthe")).hasValue(279);
    assertThat(qwen.tokenString(279)).hasValue("Ġthe");
    assertThat(qwen.tokenText(279)).isEqualTo(" the");
    assertThat(qwen.tokenId("<search>")).isEmpty();
    assertThat(qwen.addedTokens()).hasSize(26).contains("<think>", "<tool_call>");
    assertThat(qwen.specialTokens()).doesNotContain("<think>", "<tool_call>");
  }

  @Test
  void searchTagIsSeveralPiecesButTextRoundTrips() {
    assertThat(qwen.encode("<search>")).containsExactly(27, 1836, 29);
    assertThat(qwen.encode("</search>")).containsExactly(522, 1836, 29);
    // A preceding space merges into the first piece: the tag is not even a stable id sequence.
    assertThat(qwen.encode(" <search>")).containsExactly(366, 1836, 29);
    assertThat(qwen.tokenText(27) + qwen.tokenText(1836) + qwen.tokenText(29))
        .isEqualTo("<search>");
    long[] ids = qwen.encode(SEARCH_R1);
    assertThat(qwen.decode(ids)).isEqualTo(SEARCH_R1);
    assertThat(qwen.decode(ids, 0, 3)).isEqualTo("<think>I need");
  }

  @Test
  void atomicSearchTagsAfterAddTo(@TempDir Path out) {
    Path in = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    Path file = out.resolve(TextTokenizer.TOKENIZER_JSON);
    AtomicTokens.AddedTokens added =
        AtomicTokens.addTo(in, file, List.of("<search>", "</search>", "<think>"));
    assertThat(added.id("<search>")).isEqualTo(151669);
    assertThat(added.id("</search>")).isEqualTo(151670);
    assertThat(added.id("<think>")).isEqualTo(151667); // existing token keeps its id
    assertThat(added.newTokens()).containsExactly("<search>", "</search>");
    assertThat(added.vocabSize()).isEqualTo(151671);

    try (TextTokenizer t = TextTokenizer.load(file)) {
      assertThat(t.encode("<search>")).containsExactly(151669);
      assertThat(t.encode(" <search>")).containsExactly(220, 151669);
      assertThat(t.tokenId("</search>")).hasValue(151670);
      assertThat(t.vocabSize()).isEqualTo(151671);
      long[] ids = t.encode(SEARCH_R1);
      assertThat(ids).contains(151669, 151670);
      assertThat(t.decode(ids)).isEqualTo(SEARCH_R1);
      // Everything else tokenises as before.
      assertThat(t.encode("capital of France")).isEqualTo(qwen.encode("capital of France"));
    }
  }

  @Test
  void refusesAtomicTokensThatByteLevelDecodingWouldMangle(@TempDir Path out) {
    Path in = dir.resolve(TextTokenizer.TOKENIZER_JSON);
    Path file = out.resolve(TextTokenizer.TOKENIZER_JSON);
    assertThatThrownBy(() -> AtomicTokens.addTo(in, file, List.of("<tool>", "<résumé>")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'<résumé>' (id 151670)")
        .hasMessageContaining("decode to '<r\uFFFDsum\uFFFD>'");
    assertThat(file).doesNotExist();
  }

  @Test
  void rejectsIdsOutsideTheVocabulary() {
    assertThatThrownBy(() -> qwen.decode(new long[] {14990, 151669}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("151669");
    assertThatThrownBy(() -> qwen.tokenText(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> qwen.decode(new long[] {1, 2}, 1, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void encodesConcurrently() {
    List<String> texts = IntStream.range(0, 64).mapToObj(i -> SEARCH_R1 + " #" + i).toList();
    List<long[]> sequential = texts.stream().map(qwen::encode).toList();
    List<long[]> parallel = texts.parallelStream().map(qwen::encode).toList();
    for (int i = 0; i < texts.size(); i++) {
      assertThat(parallel.get(i)).isEqualTo(sequential.get(i));
    }
  }
}
