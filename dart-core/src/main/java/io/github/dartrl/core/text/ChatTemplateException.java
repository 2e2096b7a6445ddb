package io.github.dartrl.core.text;

/** A chat template raised an exception ({@code raise_exception}) or could not be rendered. */
public final class ChatTemplateException extends RuntimeException {
  public ChatTemplateException(String message) {
    super(message);
  }

  public ChatTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
