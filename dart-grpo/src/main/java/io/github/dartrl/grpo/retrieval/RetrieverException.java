package io.github.dartrl.grpo.retrieval;

/**
 * A retrieval failure; the message names the index directory or the URL involved, so that one line
 * of a log tells which retriever failed and why.
 */
public class RetrieverException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names the index or URL. */
  public RetrieverException(String message) {
    super(message);
  }

  /** Creates an exception with a message that names the index or URL, and its cause. */
  public RetrieverException(String message, Throwable cause) {
    super(message, cause);
  }
}
