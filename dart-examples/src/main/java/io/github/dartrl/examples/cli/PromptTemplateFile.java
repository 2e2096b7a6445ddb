package io.github.dartrl.examples.cli;

import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A prompt template kept as a UTF-8 text file: the prompt verbatim with one {@code {question}}
 * placeholder, a question mark appended to questions without one (Search-R1's rule). It is how a
 * run's exact prompt reaches {@code --template file:PATH}, e.g. the quickstart's {@code prompt.txt}
 * for {@code dart4j eval}.
 */
public final class PromptTemplateFile {
  /** The {@code --template} value prefix that names a file. */
  public static final String PREFIX = "file:";

  /** Longest template file read (a prompt, not a corpus). */
  static final long MAX_BYTES = 1 << 20;

  private PromptTemplateFile() {}

  /** Reads {@code file}, naming it in every error. */
  public static PromptTemplate read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "--template " + PREFIX + file + ": no such file (expected a UTF-8 prompt template)");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(
            "--template " + PREFIX + file + ": larger than " + MAX_BYTES + " bytes");
      }
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("--template " + PREFIX + file + ": not valid UTF-8", e);
      }
      int first = text.indexOf("{question}");
      if (first < 0 || first != text.lastIndexOf("{question}")) {
        throw new IllegalArgumentException(
            "--template "
                + PREFIX
                + file
                + ": expected exactly one {question} placeholder, found "
                + (first < 0 ? "none" : "several"));
      }
      return new PromptTemplate(text, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Writes {@code template} to {@code file} (atomically) so that {@link #read} gives it back.
   *
   * @throws IllegalArgumentException if the template does not append question marks (a file cannot
   *     say otherwise)
   */
  public static void write(PromptTemplate template, Path file) throws IOException {
    if (!template.endQuestionWithMark()) {
      throw new IllegalArgumentException(
          "a template file always appends '?' to questions; this template does not");
    }
    byte[] bytes = template.template().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, out -> out.write(bytes));
  }
}
