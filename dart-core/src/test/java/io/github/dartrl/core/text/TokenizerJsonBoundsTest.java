package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Regression tests for tokenizer.json inputs found by {@link TokenizerJsonFuzzTest}. */
class TokenizerJsonBoundsTest {
  private static final Path FILE = Path.of("tokenizer.json");

  @Test
  void bytesThatLookLikeUtf32AreAFormatErrorNotAnIoError() {
    // Found by fuzzing: '{' then three NUL bytes makes Jackson decode as UTF-32 and fail with a
    // CharConversionException, which used to escape as UncheckedIOException("cannot read").
    byte[] data = {'{', 0, 0, 0, 'H', ' ', '{', '"', 'a', '"', ':', ' ', '8', '}'};
    assertThatThrownBy(() -> TokenizerJson.vocabulary(FILE, data))
        .isInstanceOf(TokenizerFormatException.class)
        .hasMessageContaining("not JSON text");
    assertThatThrownBy(() -> TokenizerJson.parse(FILE, data))
        .isInstanceOf(TokenizerFormatException.class);
  }

  @Test
  void overDeepNestingIsRejected() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    byte[] data =
        ("{\"model\": {\"vocab\": {\"a\": 0}}, \"added_tokens\": " + deep + "}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> TokenizerJson.vocabulary(FILE, data))
        .isInstanceOf(TokenizerFormatException.class)
        .hasMessageContaining("nesting depth");
  }
}
