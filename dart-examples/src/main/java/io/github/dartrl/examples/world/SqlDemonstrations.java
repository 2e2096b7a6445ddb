package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed texts of search-then-SQL demonstrations ({@link QuestionKind#SEARCH_SQL}), written by
 * {@link DemonstrationWriter} when it has an SQL tool:
 *
 * <pre>
 * &lt;think&gt; first i need to search , then i can look it up in the table . &lt;/think&gt;
 * &lt;search&gt; kelik steki &lt;/search&gt; [observation]
 * &lt;think&gt; kelik steki was born in the city of gikror haven . &lt;/think&gt;
 * &lt;sql&gt; select population from cities where name = trim ( ' gikror haven ' ) &lt;/sql&gt; [observation]
 * &lt;think&gt; the table says 48000 . &lt;/think&gt; &lt;answer&gt; 48000 &lt;/answer&gt;
 * </pre>
 *
 * <p>The string literal is wrapped in {@code trim ( ... )} because a word-level tokenizer decodes
 * {@code 'gikror haven'} as {@code ' gikror haven '} (every token separated by one space): the
 * query the tool receives is the decoded text, and without the trim it would look for a name with a
 * leading and a trailing space. A BPE model needs no trim, but the demonstrations are written for
 * the bundled word-level world.
 */
public final class SqlDemonstrations {

  /** The opening thought of a search-then-SQL question. */
  public static final String PLAN = "first i need to search , then i can look it up in the table .";

  /** The thought before answering from the table. */
  public static final String READ = "the table says";

  /**
   * A sentence describing the tool and its tables, for a prompt that offers SQL (the word-level
   * world's instruction is search-only; a run with SQL appends this to it).
   */
  public static final String TOOL_DESCRIPTION =
      "you can also query the tables cities ( name , country , river , population , founded ) and"
          + " companies ( name , city , employees , founded ) by writing one select statement"
          + " between <sql> and </sql> .";

  /** The column a {@link DemonstrationFlaw#WRONG_COLUMN} query selects instead of the asked one. */
  static final String WRONG_COLUMN = "founded";

  private SqlDemonstrations() {}

  /**
   * The query of the table hop {@code hop} ({@code hop.relation()} is table-only): the asked
   * column, or {@value #WRONG_COLUMN} with {@code wrongColumn}.
   */
  static String query(WorldQuestion.Hop hop, boolean wrongColumn) {
    String column = wrongColumn ? WRONG_COLUMN : hop.relation().key();
    return "select "
        + column
        + " from "
        + WorldTables.table(hop.relation())
        + " where name = trim ( ' "
        + hop.query()
        + " ' )";
  }

  /**
   * The first value of the first row of an observation body ({@code header\nvalue | ...}), or null
   * when the result has no row or is an error.
   */
  static String firstValue(String observation) {
    String body = observation.replace("<information>", "").replace("</information>", "").strip();
    String[] lines = body.split("\n");
    if (lines.length < 2 || body.startsWith("error") || lines[1].strip().equals("no rows")) {
      return null;
    }
    return lines[1].split(" \\| ")[0].strip();
  }

  /**
   * Every fixed word of the SQL part: the plan, the query template, the tables' columns, the tool's
   * messages. Add these to the tokenizer's vocabulary (with {@link World#vocabularyTexts()} and
   * {@link DemonstrationWriter#vocabularyTexts()}) when the world has SQL; they are reserved in
   * every world, so no name is one of these words.
   */
  public static List<String> vocabularyTexts() {
    List<String> texts = new ArrayList<>();
    texts.add(PLAN);
    texts.add(READ);
    texts.add(TOOL_DESCRIPTION);
    texts.add(
        "select population employees founded from cities companies where name = trim ( ' x ' )");
    texts.addAll(WorldTables.CITY_COLUMNS);
    texts.addAll(WorldTables.COMPANY_COLUMNS);
    texts.add("<sql> </sql> | error : no rows ( first 10 rows shown , more not shown )");
    texts.add(FactPhrases.fact(Relation.POPULATION, "x", "y"));
    texts.add(FactPhrases.fact(Relation.EMPLOYEES, "x", "y"));
    return texts;
  }
}
