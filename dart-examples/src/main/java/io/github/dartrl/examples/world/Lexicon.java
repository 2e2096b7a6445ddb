package io.github.dartrl.examples.world;

import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The fixed (non-generated) words of the world: value lists, name suffixes, and the set of words a
 * generated name must never be.
 */
final class Lexicon {

  /** Literal objects of {@link Relation#OCCUPATION}. */
  static final List<String> OCCUPATIONS =
      List.of(
          "painter",
          "farmer",
          "teacher",
          "baker",
          "pilot",
          "lawyer",
          "nurse",
          "doctor",
          "engineer",
          "chemist",
          "architect",
          "sailor",
          "writer",
          "singer",
          "tailor",
          "judge");

  /** Second words of owned city names, e.g. "karvo haven". */
  static final List<String> CITY_SUFFIXES =
      List.of("ford", "haven", "port", "field", "burg", "vale", "bridge", "crest");

  /** Second words of company names, e.g. "talvi mining". */
  static final List<String> COMPANY_KINDS =
      List.of(
          "labs",
          "foods",
          "mining",
          "motors",
          "textiles",
          "systems",
          "shipping",
          "bank",
          "media",
          "works",
          "energy",
          "studios");

  /** Second word of every river name, e.g. "kelva river". */
  static final String RIVER = "river";

  /** Number words used by the arithmetic questions, index = value. */
  static final List<String> NUMBERS =
      List.of(
          "zero",
          "one",
          "two",
          "three",
          "four",
          "five",
          "six",
          "seven",
          "eight",
          "nine",
          "ten",
          "eleven",
          "twelve",
          "thirteen",
          "fourteen",
          "fifteen",
          "sixteen",
          "seventeen",
          "eighteen",
          "nineteen",
          "twenty");

  /** Descriptive words of introduction sentences; they carry no fact. */
  static final List<String> CITY_ADJECTIVES = List.of("small", "large", "old", "busy", "quiet");

  static final List<String> COMPANY_ADJECTIVES = List.of("small", "large", "old", "famous");

  /** Birth years are drawn from this range, inclusive. */
  static final int FIRST_BIRTH_YEAR = 1940;

  static final int LAST_BIRTH_YEAR = 1999;

  /** Founding years are drawn from this range, inclusive. */
  static final int FIRST_FOUNDED_YEAR = 1900;

  static final int LAST_FOUNDED_YEAR = 1999;

  /**
   * Lucene's English stop words (the retriever drops them) and the SQuAD articles (answer
   * normalisation drops them): a name word must be none of these.
   */
  private static final List<String> STOP_WORDS =
      List.of(
          "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
          "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
          "these", "they", "this", "to", "was", "will", "with");

  private Lexicon() {}

  /**
   * Every fixed word of the world: the lists above, every template word of passages, questions and
   * prompts, and the stop words. Generated name words are drawn outside this set, so a name word
   * always means that name.
   */
  static Set<String> reservedWords() {
    Set<String> words = new LinkedHashSet<>();
    List<List<String>> lists =
        List.of(
            OCCUPATIONS,
            CITY_SUFFIXES,
            COMPANY_KINDS,
            NUMBERS,
            CITY_ADJECTIVES,
            COMPANY_ADJECTIVES,
            STOP_WORDS,
            List.of(RIVER),
            CorpusWriter.templateTexts(),
            QuestionGenerator.templateTexts(),
            PromptTexts.all(),
            // the SQL part's words, reserved in every world so that turning it on changes no name
            SqlDemonstrations.vocabularyTexts());
    for (List<String> list : lists) {
      for (String text : list) {
        words.addAll(WordLevelTokenizerWriter.pieces(text, true));
      }
    }
    IntStream.rangeClosed(FIRST_FOUNDED_YEAR, LAST_BIRTH_YEAR)
        .forEach(y -> words.add(Integer.toString(y)));
    return words;
  }
}
