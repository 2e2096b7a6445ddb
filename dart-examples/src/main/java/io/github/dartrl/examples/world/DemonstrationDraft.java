package io.github.dartrl.examples.world;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.rollout.Action;
import io.github.dartrl.grpo.sft.Demonstration;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * One scripted trajectory being written by {@link DemonstrationWriter}: its ids and roles so far,
 * the router's state, the pending search or SQL call. Sampled text is tokenised segment by segment
 * and routed as a rollout of the same policy would record it; observations are the formatter's
 * output.
 */
final class DemonstrationDraft {

  /**
   * What every draft of one writer writes with.
   *
   * @param tokenizer the policy's tokenizer
   * @param router the policy's router
   * @param parser parses a search segment
   * @param sqlParser parses an SQL segment
   * @param observations formats observations
   * @param aliases the world's alias table ({@link WorldAliases#NONE} without one)
   * @param eos the end-of-sequence id appended to the final segment
   * @param unk the tokenizer's unknown-word id, if it has one (scripted text must not produce it)
   */
  record Script(
      TextTokenizer tokenizer,
      TokenRouter router,
      Action.Parser parser,
      Action.Parser sqlParser,
      ObservationFormatter observations,
      WorldAliases aliases,
      long eos,
      OptionalLong unk) {}

  private final Script script;
  final WorldQuestion question;
  final DemonstrationFlaw flaw;
  final String guess;
  final SplittableRandom rng;
  final TokenRouter.State state;
  final List<Long> ids = new ArrayList<>();
  final List<Integer> roles = new ArrayList<>();
  final List<String> queries = new ArrayList<>();
  final List<String> sqlCalls = new ArrayList<>();
  List<Passage> lastPassages = List.of();
  String pendingQuery;
  String pendingSql;
  String lastSqlObservation;
  String answer;

  DemonstrationDraft(
      Script script,
      WorldQuestion question,
      DemonstrationFlaw flaw,
      String guess,
      SplittableRandom rng,
      long[] prompt) {
    this.script = script;
    this.state = script.router().newState();
    this.question = question;
    this.flaw = flaw;
    this.guess = guess;
    this.rng = rng;
    add(prompt, TokenRole.PROMPT);
    state.given();
  }

  String gold() {
    return question.goldenAnswers().get(0);
  }

  /** Appends {@code <think> thought </think> <search> entity </search>}. */
  void search(String thought, String entity) {
    long[] seg =
        sampled("<think> " + thought + " </think> <search> " + entity + " </search>", false);
    Action a = script.parser().parse(script.tokenizer().decode(seg));
    if (a.kind() != Action.Kind.SEARCH) {
      throw new IllegalStateException(
          "scripted search segment does not parse as a search: " + entity);
    }
    pendingQuery = a.content();
    queries.add(pendingQuery);
  }

  /** Appends {@code <think> thought </think> <sql> query </sql>}. */
  void sql(String thought, String query) {
    long[] seg = sampled("<think> " + thought + " </think> <sql> " + query + " </sql>", false);
    Action a = script.sqlParser().parse(script.tokenizer().decode(seg));
    if (a.kind() != Action.Kind.SEARCH) {
      throw new IllegalStateException("scripted SQL segment does not parse as a call: " + query);
    }
    pendingSql = a.content();
    sqlCalls.add(pendingSql);
  }

  void observeSql(String observation) {
    add(script.observations().message(observation), TokenRole.OBSERVATION);
    state.given();
    lastSqlObservation = observation;
    pendingSql = null;
  }

  void observe(List<Passage> passages) {
    add(script.observations().tokens(passages), TokenRole.OBSERVATION);
    state.given();
    lastPassages = passages;
    pendingQuery = null;
  }

  boolean lastObservationHas(String phrase) {
    return lastPassages.stream().anyMatch(p -> DemonstrationWriter.mentions(p.text(), phrase));
  }

  /**
   * The sentence of the last observation that states {@code hop}: the first one naming both the
   * hop's entity and its answer, in a passage titled by the entity if there is one; else the fact
   * in the script's own words. With an alias index the sentence is read in the index's form and
   * stated with the plain names.
   */
  String quote(WorldQuestion.Hop hop) {
    return script.aliases().plain(indexedQuote(hop));
  }

  /** The sentence of the last observation that states {@code hop}, in the index's form. */
  String indexedQuote(WorldQuestion.Hop hop) {
    String answer = script.aliases().index(hop.answer());
    String fallback = null;
    for (Passage p : lastPassages) {
      for (String sentence : p.text().split("(?<= \\.)\\s+")) {
        if (DemonstrationWriter.mentions(sentence, hop.query())
            && DemonstrationWriter.mentions(sentence, answer)) {
          if (p.title().equals(hop.query())) {
            return sentence.strip();
          }
          fallback = fallback == null ? sentence.strip() : fallback;
        }
      }
    }
    return fallback != null ? fallback : FactPhrases.fact(hop) + " .";
  }

  /** Appends {@code <think> thought </think> <answer> a </answer>} and EOS. */
  void finish(String a, String thought) {
    answer = a;
    sampled("<think> " + thought + " </think> <answer> " + a + " </answer>", true);
  }

  private long[] sampled(String text, boolean endOfSequence) {
    long[] seg = script.tokenizer().encode(text);
    if (endOfSequence) {
      seg = Arrays.copyOf(seg, seg.length + 1);
      seg[seg.length - 1] = script.eos();
    }
    if (script.unk().isPresent()
        && Arrays.stream(seg).anyMatch(id -> id == script.unk().getAsLong())) {
      throw new IllegalStateException(
          "scripted text has a word outside the tokenizer's vocabulary: \"" + text + "\"");
    }
    int[] r = script.router().roleCodes(state, seg);
    for (int i = 0; i < seg.length; i++) {
      ids.add(seg[i]);
      roles.add(r[i]);
    }
    return seg;
  }

  private void add(long[] chunk, TokenRole role) {
    for (long id : chunk) {
      ids.add(id);
      roles.add(role.code());
    }
  }

  ScriptedDemonstration toDemonstration() {
    long[] t = ids.stream().mapToLong(Long::longValue).toArray();
    int[] r = roles.stream().mapToInt(Integer::intValue).toArray();
    boolean correct = question.goldenAnswers().contains(answer);
    return new ScriptedDemonstration(
        question, flaw, queries, sqlCalls, answer, correct, new Demonstration(t, r));
  }
}
