package io.github.dartrl.core.routing;

/**
 * The role of one token of a trajectory. One role array per sequence drives both which adapter runs
 * and which tokens carry loss; there is no second source of truth.
 */
public enum TokenRole {
  /** Given to the model (system/user prompt): never trained. */
  PROMPT(0),
  /** Sampled outside a tool-call span: trained into the reasoning adapter. */
  REASONING(1),
  /** Sampled inside a tool-call span (the query and the closing tag): the tool adapter. */
  TOOL(2),
  /** Inserted by the environment (retrieved passages): never trained, excluded from loss and KL. */
  OBSERVATION(3);

  private final int code;

  TokenRole(int code) {
    this.code = code;
  }

  /** Stable integer code, used in role arrays and on disk. */
  public int code() {
    return code;
  }

  /** True for tokens the policy sampled (the only ones that carry loss). */
  public boolean isSampled() {
    return this == REASONING || this == TOOL;
  }

  private static final TokenRole[] BY_CODE = values();

  public static TokenRole ofCode(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown role code " + code);
    }
    return BY_CODE[code];
  }
}
