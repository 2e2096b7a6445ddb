package io.github.dartrl.core.routing;

/**
 * The role of one token of a trajectory. One role array per sequence drives both which adapter runs
 * and which tokens carry loss; there is no second source of truth.
 *
 * <p><b>Codes.</b> Role arrays hold int codes: PROMPT 0, REASONING 1, OBSERVATION 3, and one code
 * per tool span: the first tool (span index 0) is {@code TOOL} = 2, tool k &ge; 1 is {@code 3 + k}
 * (see {@link #toolCode} and {@link #toolIndex}). The enum is the coarse role (sampled or given,
 * reasoning or some tool): {@link #ofCode} maps every tool code to {@link #TOOL}, so the loss mask
 * and everything else that only asks "sampled or not" reads codes as before, and a policy with one
 * tool writes exactly the codes it always wrote. Which adapter a tool code selects is {@link
 * RoleAdapterMap#adapterForCode}.
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

  /** Code of the first tool beyond span index 0: tool k &ge; 1 has code {@code 3 + k}. */
  private static final int FIRST_EXTRA_TOOL = 4;

  /** The coarse role of a code: every tool code is {@link #TOOL}. */
  public static TokenRole ofCode(int code) {
    if (code < 0) {
      throw new IllegalArgumentException("unknown role code " + code);
    }
    return code < BY_CODE.length ? BY_CODE[code] : TOOL;
  }

  /** The role code of a token inside the span of tool {@code spanIndex} (0 &rarr; TOOL's 2). */
  public static int toolCode(int spanIndex) {
    if (spanIndex < 0) {
      throw new IllegalArgumentException("tool span index must be >= 0, got " + spanIndex);
    }
    return spanIndex == 0 ? TOOL.code : FIRST_EXTRA_TOOL - 1 + spanIndex;
  }

  /** The tool span index of a role code, or -1 if the code is not a tool's. */
  public static int toolIndex(int code) {
    if (code == TOOL.code) {
      return 0;
    }
    return code >= FIRST_EXTRA_TOOL ? code - (FIRST_EXTRA_TOOL - 1) : -1;
  }
}
