package io.github.dartrl.examples.world;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The conflict world's alias table ({@link WorldConfig#aliasIndex()}): every word of an entity's
 * name (people, cities, companies, countries, rivers) has a registry alias, a fresh syllable word,
 * and the <em>index</em> (the corpus, and so every search result) names entities only by their
 * aliases, while questions, golden answers and the reasoning of the scripted demonstrations use the
 * plain names.
 *
 * <p>Why: a search must be written in the alias form (the plain words occur in no passage), so the
 * tool-call skill maps plain → alias; reading a result and stating or answering an entity maps
 * alias → plain. The two skills learn the same word pairs in opposite directions, on shared
 * parameters, and almost every question needs both. The table is word-level, and every name word
 * has a train user (owned entities' words are shared by splits, background entities belong to all:
 * see {@link KnowledgeBase}), so a test name is a new combination of aliases train questions teach.
 *
 * <p>Off ({@link #NONE}), both mappings are the identity.
 */
public final class WorldAliases {

  /** No aliases: {@link #index} and {@link #plain} return their input. */
  public static final WorldAliases NONE = new WorldAliases(Map.of());

  private static final int STAGE = 6;

  private final Map<String, String> toIndex;
  private final Map<String, String> toPlain;

  private WorldAliases(Map<String, String> toIndex) {
    this.toIndex = Collections.unmodifiableMap(new LinkedHashMap<>(toIndex));
    Map<String, String> inverse = new LinkedHashMap<>();
    toIndex.forEach((plain, alias) -> inverse.put(alias, plain));
    this.toPlain = Collections.unmodifiableMap(inverse);
  }

  /**
   * The aliases of {@code kb}'s entity-name words, or {@link #NONE} when {@code config} has no
   * alias index. Drawn from their own random stream, so turning them on changes no other draw.
   */
  static WorldAliases generate(KnowledgeBase kb, WorldConfig config) {
    if (!config.aliasIndex()) {
      return NONE;
    }
    // the made-up words of names; the lexicon's own words in names (city suffixes, company kinds,
    // "river") also occur in the passages' sentences and keep their form
    Set<String> lexicon = Lexicon.reservedWords();
    Set<String> nameWords = new LinkedHashSet<>();
    Set<String> reserved = new LinkedHashSet<>(lexicon);
    for (Entity e : kb.entities()) {
      for (String w : e.name().split(" ")) {
        reserved.add(w);
        if (!lexicon.contains(w)) {
          nameWords.add(w);
        }
      }
    }
    Names names = new Names(Draws.stage(config.seed(), STAGE), reserved);
    Map<String, String> table = new LinkedHashMap<>();
    for (String w : nameWords) {
      table.put(w, names.word(2));
    }
    return new WorldAliases(table);
  }

  /** Whether any alias exists. */
  public boolean active() {
    return !toIndex.isEmpty();
  }

  /** Plain name word → alias, in the order the words first occur among the entities. */
  public Map<String, String> table() {
    return toIndex;
  }

  /** {@code text} (space-separated words) with every entity-name word replaced by its alias. */
  public String index(String text) {
    return map(text, toIndex);
  }

  /** {@code text} with every alias replaced by the plain name word it stands for. */
  public String plain(String text) {
    return map(text, toPlain);
  }

  private static String map(String text, Map<String, String> words) {
    if (words.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int j = i;
      while (j < text.length() && Character.isLetter(text.charAt(j))) {
        j++;
      }
      if (j > i) {
        String w = text.substring(i, j);
        out.append(words.getOrDefault(w, w));
        i = j;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return out.toString();
  }
}
