package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Fictional words built from syllables ({@code onset + vowel}, repeated, plus an optional final
 * consonant): "kavor", "miltren", "drosuvi". Every word drawn is new, lower-case ASCII letters
 * only, and outside the reserved words, so no name collides with a template word or with another
 * name.
 */
final class Names {

  private static final List<String> ONSETS =
      List.of(
          "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr",
          "kr", "tr", "st", "th", "sh");
  private static final List<String> VOWELS = List.of("a", "e", "i", "o", "u");
  private static final List<String> CODAS = List.of("", "", "", "n", "r", "l", "s", "m", "k");
  private static final int MAX_TRIES = 100_000;

  private final Random random;
  private final Set<String> taken;

  /**
   * @param random the stream to draw from
   * @param reserved words never to produce
   */
  Names(Random random, Set<String> reserved) {
    this.random = random;
    this.taken = new HashSet<>(reserved);
  }

  /** A fresh word of {@code syllables} syllables. */
  String word(int syllables) {
    for (int tries = 0; tries < MAX_TRIES; tries++) {
      StringBuilder sb = new StringBuilder();
      for (int s = 0; s < syllables; s++) {
        sb.append(Draws.pick(ONSETS, random)).append(Draws.pick(VOWELS, random));
      }
      sb.append(Draws.pick(CODAS, random));
      String word = sb.toString();
      if (taken.add(word)) {
        return word;
      }
    }
    throw new IllegalStateException("no fresh " + syllables + "-syllable word left");
  }

  /** {@code n} fresh words of {@code syllables} syllables. */
  List<String> words(int n, int syllables) {
    List<String> words = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      words.add(word(syllables));
    }
    return words;
  }
}
