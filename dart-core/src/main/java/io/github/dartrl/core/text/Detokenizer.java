package io.github.dartrl.core.text;

/** Turns token ids back into text (used to detect stop strings and by the router). */
@FunctionalInterface
public interface Detokenizer {
  String decode(long[] ids);
}
