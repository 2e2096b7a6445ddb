package io.github.dartrl.examples.world;

import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.rollout.Action;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Writes scripted Search-R1 trajectories for world questions, token by token as a rollout of the
 * same policy would record them, for the SFT warm-start:
 *
 * <pre>
 * [prompt] &lt;think&gt; i need to find the answer . &lt;/think&gt; &lt;search&gt; kelik steki &lt;/search&gt;
 * [observation: the real top-k passages for that query]
 * &lt;think&gt; kelik steki was born in gikror haven . &lt;/think&gt; &lt;answer&gt; gikror haven &lt;/answer&gt; EOS
 * </pre>
 *
 * Two-hop questions announce the plan ({@code first i need to find out more , then i can answer
 * .}), state the first hop's fact before the second search, and answer after the second
 * observation; no-retrieval questions answer directly.
 *
 * <p>Exactly as in {@link io.github.dartrl.grpo.rollout.RolloutEngine}: the prompt is the shared
 * {@link PromptTemplate}'s text (PROMPT); each sampled segment (up to and including {@code
 * </search>}, or the final answer and EOS) is tokenised on its own and routed by the policy's
 * {@link TokenRouter}; each observation is the {@link ObservationFormatter} output for the passages
 * the retriever returns for the query text parsed back from the segment's tokens (OBSERVATION),
 * after which the router is told the run of sampled text ended. Nothing is re-tokenised. Searches
 * of all questions are batched per hop.
 *
 * <p>Demonstrations are deliberately imperfect ({@link DemonstrationConfig}, {@link
 * DemonstrationFlaw}): some answer without searching, some search a partial name, some two-hop ones
 * skip the second search; in a world with an alias index, some search the plain name and some
 * answer with the alias they read. A guess is the golden answer of another question of the same
 * template, so it has the right type but is almost always wrong.
 */
public final class DemonstrationWriter {

  /** The opening thought of a one-hop question. */
  static final String PLAN_ONE_HOP = "i need to find the answer .";

  /** The opening thought of a two-hop question. */
  static final String PLAN_TWO_HOP = "first i need to find out more , then i can answer .";

  /** The thought before answering without a search. */
  static final String NO_SEARCH = "i know the answer without searching .";

  /** The thought before a guess after a search. */
  static final String GUESS = "now i know it , so the answer is";

  private final TextTokenizer tokenizer;
  private final Retriever retriever;
  private final PromptTemplate template;
  private final TokenRouter router;
  private final ObservationFormatter observations;
  private final Action.Parser parser;
  private final int topK;
  private final RolloutConfig rollout;
  private final long eos;
  private final OptionalLong unk;
  private final DemonstrationConfig config;
  private final SqlExecutor sql;
  private final Action.Parser sqlParser;
  private final WorldAliases aliases;

  /**
   * @param tokenizer the policy's tokenizer
   * @param retriever the retriever the rollouts will use
   * @param template the prompt template the rollouts will use
   * @param rollout the rollout config (top-k, observation limit, span tags)
   * @param router the policy's router ({@code policy.router()})
   * @param config the imperfection mix
   */
  public DemonstrationWriter(
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig rollout,
      TokenRouter router,
      DemonstrationConfig config) {
    this(tokenizer, retriever, template, rollout, router, config, null);
  }

  /**
   * A writer that also demonstrates search-then-SQL questions ({@link QuestionKind#SEARCH_SQL}):
   * after the search, a {@code <sql>} call runs on {@code sql} (the world's tables) and its
   * observation is recorded like a search's. The tokenizer must have {@code <sql>} and {@code
   * </sql>} as atomic tags, and the router should know the span ({@code ToolSpan.sql()}).
   *
   * @param sql the SQL tool over {@link World#tables()}, or null for a search-only writer
   */
  public DemonstrationWriter(
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig rollout,
      TokenRouter router,
      DemonstrationConfig config,
      SqlExecutor sql) {
    this(tokenizer, retriever, template, rollout, router, config, sql, WorldAliases.NONE);
  }

  private DemonstrationWriter(
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RolloutConfig rollout,
      TokenRouter router,
      DemonstrationConfig config,
      SqlExecutor sql,
      WorldAliases aliases) {
    this.rollout = rollout;
    this.aliases = aliases;
    this.sql = sql;
    this.sqlParser =
        new Action.Parser(
            SqlExecutor.OPEN, SqlExecutor.CLOSE, rollout.answer().open(), rollout.answer().close());
    this.tokenizer = tokenizer;
    this.retriever = retriever;
    this.template = template;
    this.router = router;
    this.config = config;
    this.observations = new ObservationFormatter(tokenizer, rollout.maxObservationTokens());
    this.parser =
        new Action.Parser(
            rollout.search().open(),
            rollout.search().close(),
            rollout.answer().open(),
            rollout.answer().close());
    this.topK = rollout.topK();
    long[] eosIds = tokenizer.eosTokenIds();
    if (eosIds.length == 0) {
      throw new IllegalArgumentException("the tokenizer declares no end-of-sequence token");
    }
    this.eos = eosIds[0];
    this.unk = tokenizer.tokenId("<unk>");
  }

  /**
   * A writer for a world with an alias index ({@link World#aliases()}): searches use the hops'
   * alias queries as before, but each thought states what it read with the plain names ({@link
   * WorldAliases#plain}), so the reasoning decodes the names the tool call encoded.
   */
  public DemonstrationWriter withAliases(WorldAliases worldAliases) {
    return new DemonstrationWriter(
        tokenizer, retriever, template, rollout, router, config, sql, worldAliases);
  }

  /**
   * The fixed phrases of demonstrations, for the tokenizer's vocabulary (with {@link
   * World#vocabularyTexts()}).
   */
  public static List<String> vocabularyTexts() {
    List<String> texts =
        new ArrayList<>(List.of(PLAN_ONE_HOP, PLAN_TWO_HOP, NO_SEARCH, GUESS, "a an the"));
    for (Relation r : Relation.values()) {
      if (!r.tableOnly()) { // the SQL part's phrases: SqlDemonstrations.vocabularyTexts()
        texts.add(FactPhrases.fact(r, "x", "y"));
      }
    }
    return texts;
  }

  /**
   * Demonstrations for {@code questions}, in their order. Guesses come from the golden answers of
   * the other questions of the same template in this list.
   *
   * @throws IllegalArgumentException for a search-then-SQL question when this writer has no SQL
   *     tool
   */
  public List<ScriptedDemonstration> write(List<WorldQuestion> questions) {
    if (sql == null && questions.stream().anyMatch(q -> q.kind() == QuestionKind.SEARCH_SQL)) {
      throw new IllegalArgumentException(
          "search-then-SQL questions need a writer with an SQL tool (the constructor with an"
              + " SqlExecutor over the world's tables)");
    }
    DemonstrationFlaw[] flaws =
        FlawAssignment.assign(
            questions,
            config,
            q -> q.kind() != QuestionKind.NO_RETRIEVAL && !aliases.index(gold(q)).equals(gold(q)));
    Map<String, List<String>> answersByTemplate = new HashMap<>();
    for (WorldQuestion q : questions) {
      answersByTemplate
          .computeIfAbsent(q.template(), k -> new ArrayList<>())
          .add(q.goldenAnswers().get(0));
    }
    List<DemonstrationDraft> drafts = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      WorldQuestion q = questions.get(i);
      SplittableRandom rng = new SplittableRandom(config.seed() * 1_000_003L + i);
      String guess = FlawAssignment.guess(q, answersByTemplate.get(q.template()), rng);
      drafts.add(
          new DemonstrationDraft(
              script(), q, flaws[i], guess, rng, tokenizer.encode(template.apply(q.question()))));
    }
    // Hop 1: everything that searches.
    List<DemonstrationDraft> searching = new ArrayList<>();
    for (DemonstrationDraft d : drafts) {
      if (d.question.kind() == QuestionKind.NO_RETRIEVAL || d.flaw == DemonstrationFlaw.NO_SEARCH) {
        d.finish(d.flaw == DemonstrationFlaw.NO_SEARCH ? d.guess : d.gold(), NO_SEARCH);
        continue;
      }
      WorldQuestion.Hop hop = d.question.hops().get(0);
      String entity =
          d.flaw == DemonstrationFlaw.WRONG_ENTITY ? wrongEntity(hop.query(), d.rng) : hop.query();
      String plan =
          switch (d.question.kind()) {
            case TWO_HOP -> PLAN_TWO_HOP;
            case SEARCH_SQL -> SqlDemonstrations.PLAN;
            default -> PLAN_ONE_HOP;
          };
      d.search(plan, entity);
      searching.add(d);
    }
    List<DemonstrationDraft> secondHop = new ArrayList<>();
    List<DemonstrationDraft> tableHop = new ArrayList<>();
    for (DemonstrationDraft d : retrieve(searching)) {
      WorldQuestion.Hop first = d.question.hops().get(0);
      boolean found =
          d.flaw != DemonstrationFlaw.WRONG_ENTITY
              || d.lastObservationHas(aliases.index(first.answer()));
      if (!found
          || d.flaw == DemonstrationFlaw.SKIPPED_HOP
          || d.flaw == DemonstrationFlaw.SKIPPED_SQL) {
        d.finish(d.guess, GUESS + " " + d.guess + " .");
      } else if (d.question.kind() == QuestionKind.ONE_HOP) {
        finishRead(d, first);
      } else if (d.question.kind() == QuestionKind.SEARCH_SQL) {
        WorldQuestion.Hop table = d.question.hops().get(1);
        d.sql(
            d.quote(first),
            SqlDemonstrations.query(table, d.flaw == DemonstrationFlaw.WRONG_COLUMN));
        tableHop.add(d);
      } else {
        d.search(d.quote(first), d.question.hops().get(1).query());
        secondHop.add(d);
      }
    }
    for (DemonstrationDraft d : retrieve(secondHop)) {
      finishRead(d, d.question.hops().get(1));
    }
    for (DemonstrationDraft d : query(tableHop)) {
      String value = SqlDemonstrations.firstValue(d.lastSqlObservation);
      if (value == null || (d.flaw == DemonstrationFlaw.NONE && !value.equals(d.gold()))) {
        throw new IllegalStateException(
            "the SQL tool did not return the answer of "
                + d.question.id()
                + " for "
                + d.sqlCalls.get(d.sqlCalls.size() - 1)
                + ": "
                + d.lastSqlObservation.strip());
      }
      d.finish(value, SqlDemonstrations.READ + " " + value + " .");
    }
    List<ScriptedDemonstration> out = new ArrayList<>();
    for (DemonstrationDraft d : drafts) {
      out.add(d.toDemonstration());
    }
    return out;
  }

  /**
   * The query of a {@link DemonstrationFlaw#WRONG_ENTITY} search: with an alias index, a person
   * searched by the plain name (the tool call that forgot to encode it, which finds nothing about
   * them); otherwise one word of the name.
   */
  private String wrongEntity(String query, SplittableRandom rng) {
    String plain = aliases.plain(query);
    return plain.equals(query) ? FlawAssignment.partial(query, rng) : plain;
  }

  /**
   * Answers from what the last search read about {@code hop}: the plain name after a thought that
   * states the fact with plain names, or — the {@link DemonstrationFlaw#ALIAS_ANSWER} flaw — the
   * alias after a thought that copies the index's form.
   */
  private void finishRead(DemonstrationDraft d, WorldQuestion.Hop hop) {
    if (d.flaw == DemonstrationFlaw.ALIAS_ANSWER) {
      d.finish(aliases.index(d.gold()), d.indexedQuote(hop));
    } else {
      d.finish(d.gold(), d.quote(hop));
    }
  }

  private static String gold(WorldQuestion q) {
    return q.goldenAnswers().get(0);
  }

  private DemonstrationDraft.Script script() {
    return new DemonstrationDraft.Script(
        tokenizer, router, parser, sqlParser, observations, aliases, eos, unk);
  }

  /** Runs the pending search of every draft in one retriever call and appends the observations. */
  private List<DemonstrationDraft> retrieve(List<DemonstrationDraft> drafts) {
    if (drafts.isEmpty()) {
      return drafts;
    }
    List<String> queries = drafts.stream().map(d -> d.pendingQuery).toList();
    List<List<Passage>> results = retriever.search(queries, topK);
    if (results.size() != queries.size()) {
      throw new IllegalStateException(
          "retriever returned "
              + results.size()
              + " result lists for "
              + queries.size()
              + " queries");
    }
    for (int i = 0; i < drafts.size(); i++) {
      drafts.get(i).observe(results.get(i));
    }
    return drafts;
  }

  /** Runs the pending SQL call of every draft in one batch and appends the observations. */
  private List<DemonstrationDraft> query(List<DemonstrationDraft> drafts) {
    if (drafts.isEmpty()) {
      return drafts;
    }
    List<String> observed = sql.execute(drafts.stream().map(d -> d.pendingSql).toList());
    for (int i = 0; i < drafts.size(); i++) {
      drafts.get(i).observeSql(observed.get(i));
    }
    return drafts;
  }

  /** Whether {@code phrase} occurs in space-separated {@code text} as whole words. */
  static boolean mentions(String text, String phrase) {
    return (" " + text.replace('\n', ' ') + " ").contains(" " + phrase + " ");
  }
}
