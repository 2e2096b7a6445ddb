package io.github.dartrl.grpo.retrieval;

import java.nio.file.Path;

/** A corpus line that cannot be read as a passage; names the file and the 1-based line number. */
public final class CorpusFormatException extends RetrieverException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  /**
   * Creates the exception.
   *
   * @param file the corpus file
   * @param line the 1-based line number
   * @param reason what is wrong with the line
   * @param cause the parser's exception, or null
   */
  public CorpusFormatException(Path file, long line, String reason, Throwable cause) {
    super(file + ":" + line + ": " + reason, cause);
    this.file = file;
    this.line = line;
  }

  /** The corpus file. */
  public Path file() {
    return file;
  }

  /** The 1-based line number of the bad line. */
  public long line() {
    return line;
  }
}
