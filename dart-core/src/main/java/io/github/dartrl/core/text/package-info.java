/**
 * Text ↔ token ids: a thin, offline wrapper around DJL's HuggingFace tokenizer ({@link
 * io.github.dartrl.core.text.TextTokenizer}), adding atomic tag tokens to an existing {@code
 * tokenizer.json} ({@link io.github.dartrl.core.text.AtomicTokens}) and writing word-level
 * tokenizers for the bundled synthetic world ({@link
 * io.github.dartrl.core.text.WordLevelTokenizerWriter}).
 *
 * <p>Token ids are the source of truth of a trajectory; this package never re-tokenizes decoded
 * text on its own.
 */
package io.github.dartrl.core.text;
