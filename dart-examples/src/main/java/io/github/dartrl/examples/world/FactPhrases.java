package io.github.dartrl.examples.world;

/** The facts of the knowledge base and the tables in the words of scripted demonstrations. */
final class FactPhrases {
  private FactPhrases() {}

  /** The fact a hop reveals, in words: {@code kelik steki was born in gikror haven}. */
  static String fact(WorldQuestion.Hop hop) {
    return fact(hop.relation(), hop.query(), hop.answer());
  }

  static String fact(Relation r, String s, String o) {
    return switch (r) {
      case BORN_IN, BIRTH_YEAR -> s + " was born in " + o;
      case OCCUPATION -> s + " works as " + ("aeiou".indexOf(o.charAt(0)) >= 0 ? "an " : "a ") + o;
      case WORKS_FOR -> s + " works for " + o;
      case SPOUSE -> s + " is married to " + o;
      case HEADQUARTERED_IN -> s + " is headquartered in " + o;
      case FOUNDED_YEAR -> s + " was founded in " + o;
      case LOCATED_IN -> s + " is located in " + o;
      case ON_RIVER -> s + " lies on the " + o;
      case CAPITAL -> "the capital of " + s + " is " + o;
      case FLOWS_THROUGH -> "the " + s + " flows through " + o;
      case POPULATION -> "the population of " + s + " is " + o;
      case EMPLOYEES -> s + " has " + o + " employees";
    };
  }
}
