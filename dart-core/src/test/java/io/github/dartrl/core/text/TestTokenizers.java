package io.github.dartrl.core.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Tokenizer fixtures for tests, materialised from test resources into a temporary directory. */
public final class TestTokenizers {
  private static final String QWEN3 = "/fixtures/qwen3-tokenizer/";

  private TestTokenizers() {}

  /**
   * Writes the real Qwen3 byte-level BPE tokenizer ({@code tokenizer.json} gunzipped, plus {@code
   * tokenizer_config.json}) into {@code tempDir/qwen3-tokenizer} and returns that directory. See
   * the fixture's README for provenance.
   */
  public static Path qwen3(Path tempDir) {
    Path dir = tempDir.resolve("qwen3-tokenizer");
    try {
      Files.createDirectories(dir);
      try (InputStream in = new GZIPInputStream(resource(QWEN3 + "tokenizer.json.gz"))) {
        Files.copy(in, dir.resolve("tokenizer.json"));
      }
      try (InputStream in = resource(QWEN3 + "tokenizer_config.json")) {
        Files.copy(in, dir.resolve("tokenizer_config.json"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static InputStream resource(String name) {
    InputStream in = TestTokenizers.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }
}
