package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.AtomicTokens;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted search-then-SQL demonstrations, with the SQL tool over the world's tables. */
class SqlDemonstrationTest {
  @TempDir static Path tmp;
  static World world;
  static TextTokenizer tok;
  static LuceneBm25Retriever retriever;
  static SqlExecutor sql;
  static final DemonstrationConfig MIX = new DemonstrationConfig(0.1, 0.15, 0.2, 0.15, 0.6, 5);
  static List<ScriptedDemonstration> demos;

  @BeforeAll
  static void setUp() throws Exception {
    world = Worlds.of(WorldSqlTest.SQL);
    world.writeTo(tmp.resolve("world"));
    Bm25IndexBuilder.withDefaults()
        .build(tmp.resolve("world").resolve(World.CORPUS_FILE), tmp.resolve("index"));
    retriever = LuceneBm25Retriever.open(tmp.resolve("index"));
    sql =
        SqlExecutor.fromScript(
            tmp.resolve("world").resolve(World.TABLES_FILE), SqlLimits.defaults());
    List<String> texts = new ArrayList<>(world.vocabularyTexts());
    texts.addAll(DemonstrationWriter.vocabularyTexts());
    texts.addAll(SqlDemonstrations.vocabularyTexts());
    List<String> tags = new ArrayList<>(AtomicTokens.SEARCH_R1_TAGS);
    tags.addAll(List.of(SqlExecutor.OPEN, SqlExecutor.CLOSE));
    Path model = Files.createDirectories(tmp.resolve("model"));
    WordLevelTokenizerWriter.write(
        model.resolve("tokenizer.json"),
        WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, Integer.MAX_VALUE),
        WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
        WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
        WordLevelTokenizerWriter.Options.defaults().withTags(tags));
    tok = TextTokenizer.load(model);
    demos = writer(MIX).write(world.questions(Split.TRAIN));
  }

  @AfterAll
  static void tearDown() {
    sql.close();
    retriever.close();
    tok.close();
  }

  static DemonstrationWriter writer(DemonstrationConfig mix) {
    return new DemonstrationWriter(
        tok,
        retriever,
        DemonstrationWriterTest.TEMPLATE,
        DemonstrationWriterTest.ROLLOUT,
        new TokenRouter(List.of(ToolSpan.search(), ToolSpan.sql()), tok),
        mix,
        sql);
  }

  static List<ScriptedDemonstration> sqlDemos(DemonstrationFlaw flaw) {
    return demos.stream()
        .filter(d -> d.question().kind() == QuestionKind.SEARCH_SQL && d.flaw() == flaw)
        .toList();
  }

  @Test
  void anUnflawedDemonstrationSearchesThenQueriesAndAnswersTheGold() {
    List<ScriptedDemonstration> clean = sqlDemos(DemonstrationFlaw.NONE);
    assertThat(clean).isNotEmpty();
    for (ScriptedDemonstration d : clean) {
      WorldQuestion.Hop table = d.question().hops().get(1);
      assertThat(d.queries()).containsExactly(d.question().hops().get(0).query());
      assertThat(d.sqlCalls())
          .containsExactly(
              "select "
                  + table.relation().key()
                  + " from "
                  + WorldTables.table(table.relation())
                  + " where name = trim ( ' "
                  + table.query()
                  + " ' )");
      assertThat(d.correct()).as(d.question().question()).isTrue();
      String text = tok.decode(d.demonstration().tokens());
      assertThat(text)
          .contains("<sql> select")
          .contains(SqlDemonstrations.READ + " " + d.question().goldenAnswers().get(0) + " .");
    }
  }

  @Test
  void theSqlCallIsRoutedAsAToolSpanAndItsResultAsAnObservation() {
    long open = tok.tokenId(SqlExecutor.OPEN).orElseThrow();
    long close = tok.tokenId(SqlExecutor.CLOSE).orElseThrow();
    long select = tok.tokenId("select").orElseThrow();
    for (ScriptedDemonstration d : sqlDemos(DemonstrationFlaw.NONE)) {
      long[] t = d.demonstration().tokens();
      int[] roles = d.demonstration().roles();
      int at = indexOf(t, open);
      assertThat(TokenRole.ofCode(roles[at])).isEqualTo(TokenRole.REASONING);
      assertThat(t[at + 1]).isEqualTo(select);
      assertThat(TokenRole.ofCode(roles[at + 1])).isEqualTo(TokenRole.TOOL);
      int end = indexOf(t, close);
      assertThat(TokenRole.ofCode(roles[end])).isEqualTo(TokenRole.TOOL);
      assertThat(TokenRole.ofCode(roles[end + 1])).isEqualTo(TokenRole.OBSERVATION);
      // the observation is the tool's own text for the decoded call
      String observed = sql.execute(List.of(d.sqlCalls().get(0))).get(0);
      long[] expected = tok.encode(observed);
      long[] actual = java.util.Arrays.copyOfRange(t, end + 1, end + 1 + expected.length);
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void theFlawsAreTheOnesRlCanFix() {
    List<ScriptedDemonstration> wrongColumn = sqlDemos(DemonstrationFlaw.WRONG_COLUMN);
    assertThat(wrongColumn).isNotEmpty();
    for (ScriptedDemonstration d : wrongColumn) {
      assertThat(d.sqlCalls()).singleElement().asString().startsWith("select founded from");
      assertThat(Integer.parseInt(d.answer())).isBetween(1200, 1999);
      assertThat(d.correct()).isFalse();
    }
    List<ScriptedDemonstration> skipped = sqlDemos(DemonstrationFlaw.SKIPPED_SQL);
    assertThat(skipped).isNotEmpty();
    for (ScriptedDemonstration d : skipped) {
      assertThat(d.queries()).hasSize(1);
      assertThat(d.sqlCalls()).isEmpty();
    }
    for (ScriptedDemonstration d : sqlDemos(DemonstrationFlaw.NO_SEARCH)) {
      assertThat(d.queries()).isEmpty();
      assertThat(d.sqlCalls()).isEmpty();
    }
    for (ScriptedDemonstration d : sqlDemos(DemonstrationFlaw.WRONG_ENTITY)) {
      assertThat(d.queries().get(0)).doesNotContain(" ");
    }
    DemonstrationMix mix = DemonstrationMix.of(demos);
    int n = mix.count(QuestionKind.SEARCH_SQL);
    assertThat(mix.count(QuestionKind.SEARCH_SQL, DemonstrationFlaw.WRONG_COLUMN))
        .isEqualTo((int) Math.round(0.15 * n));
    assertThat(mix.count(QuestionKind.SEARCH_SQL, DemonstrationFlaw.SKIPPED_SQL))
        .isEqualTo((int) Math.round(0.2 * n));
    assertThat(mix.correctRate(QuestionKind.SEARCH_SQL)).isBetween(0.3, 0.9);
    assertThat(mix.toMarkdown()).contains("| searchsql |").contains("wrong_column");
  }

  @Test
  void aSearchOnlyWriterRefusesSqlQuestions() {
    DemonstrationWriter searchOnly =
        new DemonstrationWriter(
            tok,
            retriever,
            DemonstrationWriterTest.TEMPLATE,
            DemonstrationWriterTest.ROLLOUT,
            new TokenRouter(List.of(ToolSpan.search()), tok),
            MIX);
    assertThatThrownBy(() -> searchOnly.write(world.questions(Split.TRAIN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SQL tool");
  }

  private static int indexOf(long[] t, long id) {
    for (int i = 0; i < t.length; i++) {
      if (t[i] == id) {
        return i;
      }
    }
    throw new AssertionError("token " + id + " not found");
  }
}
