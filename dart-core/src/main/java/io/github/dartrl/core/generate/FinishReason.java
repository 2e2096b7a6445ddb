package io.github.dartrl.core.generate;

/** Why a generated segment ended. */
public enum FinishReason {
  /** A stop string appeared in the decoded text. */
  STOP,
  /** An end-of-sequence token was sampled. */
  EOS,
  /** The token budget ran out. */
  LENGTH
}
