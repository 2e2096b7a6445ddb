package io.github.dartrl.core.policy;

/** How gradients of different roles may reach each other's adapters. */
public enum Isolation {
  /**
   * The paper's behaviour: one forward, one backward. A tool token's loss also reaches θr through
   * attention to earlier positions' keys and values (computed with θr), and vice versa.
   */
  SHARED,
  /**
   * Research option: each adapter's gradient comes only from the loss on the tokens it serves (one
   * role-restricted backward per adapter), so no cross-role gradient reaches any adapter.
   */
  STRICT
}
