package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed texts around the world's questions in a Search-R1 trajectory, so the word-level
 * vocabulary covers them: the instruction prompt, the observation block, the corrective message for
 * an invalid action and the phrases scripted demonstrations use. All are lower case with spaced
 * punctuation, the form the word-level tokenizer decodes to.
 */
public final class PromptTexts {

  /**
   * Search-R1's instruction ({@code make_prefix}, template "base"), lower-cased; the question
   * follows.
   */
  public static final String INSTRUCTION =
      "answer the given question . you must conduct reasoning inside <think> and </think> first"
          + " every time you get new information . after reasoning , if you find you lack some"
          + " knowledge , you can call a search engine by <search> query </search> and it will"
          + " return the top searched results between <information> and </information> . you can"
          + " search as many times as your want . if you find no further external knowledge"
          + " needed , you can directly provide the answer inside <answer> and </answer> , without"
          + " detailed illustrations . for example , <answer> beijing </answer> . question :";

  /**
   * The first sentence of {@link #INSTRUCTION} and its {@code question :} lead-in (7 tokens instead
   * of 118). A model trained from scratch learns the protocol from demonstrations, not from the
   * instruction, and every prompt token costs compute in each training forward; the quickstart uses
   * this one unless told otherwise.
   */
  public static final String SHORT_INSTRUCTION = "answer the given question . question :";

  /** Search-R1's observation for an invalid action, lower-cased. */
  public static final String INVALID_ACTION =
      "my previous action is invalid . if i want to search , i should put the query between"
          + " <search> and </search> . if i want to give the final answer , i should put the"
          + " answer between <answer> and </answer> . let me try again .";

  /** Phrases scripted demonstrations may use inside {@code <think>}. */
  public static final List<String> DEMONSTRATION_PHRASES =
      List.of(
          "i need to find the answer .",
          "first i need to find out more , then i can answer .",
          "let me search for",
          "now i know it , so the answer is",
          "i know the answer without searching .",
          "the search did not find it , let me search again .");

  /** The largest {@code Doc i} the observation example covers (Search-R1 uses top-3). */
  static final int MAX_DOCS = 5;

  private PromptTexts() {}

  /** The instruction followed by the question: the prompt of one rollout. */
  public static String prompt(String question) {
    return INSTRUCTION + " " + question;
  }

  /**
   * An observation in Search-R1's exact layout ({@code _passages2string}: {@code Doc i(Title: "t")
   * text}), whose punctuation runs ({@code (}, {@code :}, {@code ")}) the vocabulary must contain.
   */
  static String observationExample() {
    StringBuilder sb = new StringBuilder("\n\n<information>");
    for (int i = 1; i <= MAX_DOCS; i++) {
      sb.append("Doc ").append(i).append("(Title: \"doc\") doc .\n");
    }
    return sb.append("</information>\n\n").toString();
  }

  /** Every text of this class. */
  static List<String> all() {
    List<String> texts = new ArrayList<>();
    texts.add(INSTRUCTION);
    texts.add(SHORT_INSTRUCTION);
    texts.add(INVALID_ACTION);
    texts.addAll(DEMONSTRATION_PHRASES);
    texts.add(observationExample());
    texts.add(
        "<think> </think> <search> </search> <information> </information> <answer> </answer>");
    return texts;
  }
}
