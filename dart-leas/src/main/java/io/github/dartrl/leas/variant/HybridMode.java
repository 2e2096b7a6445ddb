package io.github.dartrl.leas.variant;

/**
 * How a hybrid (one generator for reasoning tokens, another for tool-call tokens) is run.
 *
 * <p>Both modes sample every REASONING token from the reasoning generator and every TOOL token (the
 * query and the closing tag, as routed by {@link io.github.dartrl.core.routing.TokenRouter}) from
 * the tool generator. They differ in the hidden states the sampling generator attends to.
 */
public enum HybridMode {
  /**
   * Two KV caches, one per generator, each holding the whole context computed with its own weights:
   * the generator that takes over first prefills the tokens the other produced (catch-up). This is
   * exactly two separate models handing the context back and forth (the paper's hybrid inference,
   * and the unofficial repository's two vLLM servers), and works for generators on different
   * backbones (full-parameter variants). The default.
   */
  HANDOFF,
  /**
   * One KV cache, with the adapter chosen per position as in DART (the adapter at position p is the
   * one of token p+1's role). Cheaper, but not the same as two separate models: keys and values of
   * earlier positions were computed by whichever adapter served them, so the tool adapter attends
   * to hidden states it never produced (and was never trained on). Needs both generators on one
   * backbone.
   */
  ROUTED
}
