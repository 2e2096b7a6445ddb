package io.github.dartrl.core.text;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the reading of {@code tokenizer.json} vocabularies ({@code model.vocab} and {@code
 * added_tokens}), the part dart4j parses itself rather than through the HF tokenizers library.
 *
 * <p>Contract: an input either yields a consistent id table or fails with {@link
 * TokenizerFormatException}; anything else is a finding.
 */
class TokenizerJsonFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("tokenizerVocabulary", RUNS);
  }

  private static final Path FILE = Path.of("tokenizer.json");

  @FuzzTest
  void tokenizerVocabulary(byte[] data) {
    RUNS.incrementAndGet();
    TokenizerJson.Vocabulary v;
    try {
      v = TokenizerJson.vocabulary(FILE, data);
    } catch (TokenizerFormatException expected) {
      return; // the typed rejection the contract allows
    }
    v.ids()
        .forEach(
            (token, id) -> {
              if (!v.contains(id) || !token.equals(v.tokens()[id])) {
                throw new AssertionError("id table disagrees for '" + token + "' -> " + id);
              }
            });
  }
}
