package io.github.dartrl.core.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Scoped control of PyTorch's thread-local grad mode. Rollouts must run with grad mode off, or
 * every op through a trainable LoRA weight records an autograd graph (and holds its activations).
 *
 * <pre>{@code try (GradMode off = GradMode.disabled()) { ... } }</pre>
 */
public final class GradMode implements AutoCloseable {
  private final boolean previous;

  private GradMode(boolean enabled) {
    this.previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
  }

  /** Turns grad mode off on this thread until {@link #close()}. */
  public static GradMode disabled() {
    return new GradMode(false);
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
