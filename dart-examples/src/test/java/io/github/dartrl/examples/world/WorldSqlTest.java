package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The world's tables and its search-then-SQL questions. */
class WorldSqlTest {
  static final WorldConfig SQL = WorldConfig.small().withSearchSql(0.2);

  static World world() {
    return Worlds.of(SQL);
  }

  static List<WorldQuestion> sqlQuestions(World world) {
    List<WorldQuestion> out = new ArrayList<>();
    for (Split split : Split.values()) {
      world.questions(split).stream()
          .filter(q -> q.kind() == QuestionKind.SEARCH_SQL)
          .forEach(out::add);
    }
    return out;
  }

  @Test
  void theTablesAgreeWithTheKnowledgeBase() {
    KnowledgeBase kb = world().knowledgeBase();
    WorldTables tables = world().tables();
    assertThat(tables.cities()).hasSize(kb.entities(EntityType.CITY).size());
    assertThat(tables.companies()).hasSize(kb.entities(EntityType.COMPANY).size());
    for (WorldTables.City c : tables.cities()) {
      assertThat(kb.object(c.name(), Relation.LOCATED_IN)).contains(c.country());
      assertThat(kb.object(c.name(), Relation.ON_RIVER)).contains(c.river());
      assertThat(c.population()).isBetween(20_000, 99_000);
      assertThat(c.population() % 1000).isZero();
    }
    for (WorldTables.Company c : tables.companies()) {
      assertThat(kb.object(c.name(), Relation.HEADQUARTERED_IN)).contains(c.city());
      assertThat(kb.object(c.name(), Relation.FOUNDED_YEAR))
          .contains(Integer.toString(c.founded()));
    }
  }

  @Test
  void theSqlAnswerOfEveryQuestionIsExactlyItsGoldAnswer() {
    World world = world();
    List<WorldQuestion> questions = sqlQuestions(world);
    assertThat(questions).isNotEmpty();
    List<String> calls = new ArrayList<>();
    for (WorldQuestion q : questions) {
      WorldQuestion.Hop search = q.hops().get(0);
      WorldQuestion.Hop table = q.hops().get(1);
      // the first hop is a fact of the corpus's knowledge base, the second a table lookup
      assertThat(world.knowledgeBase().object(search.query(), search.relation()))
          .contains(search.answer());
      assertThat(table.query()).isEqualTo(search.answer());
      assertThat(table.relation().tableOnly()).isTrue();
      calls.add(SqlDemonstrations.query(table, false));
    }
    try (SqlExecutor sql =
        SqlExecutor.fromScript(world.tables().script(), "world tables", SqlLimits.defaults())) {
      List<String> observed = sql.execute(calls);
      for (int i = 0; i < questions.size(); i++) {
        WorldQuestion q = questions.get(i);
        String column = q.hops().get(1).relation().key();
        assertThat(observed.get(i))
            .as(q.question())
            .isEqualTo(
                "\n\n<information>"
                    + column
                    + "\n"
                    + q.goldenAnswers().get(0)
                    + "</information>\n\n");
      }
    }
  }

  @Test
  void noSqlAnswerAppearsInAnyPassageSoTheCorpusAloneCannotAnswer() {
    World world = world();
    Set<String> corpusWords = new HashSet<>();
    world
        .corpus()
        .forEach(p -> corpusWords.addAll(WordLevelTokenizerWriter.pieces(p.contents(), true)));
    for (WorldQuestion q : sqlQuestions(world)) {
      assertThat(corpusWords).as(q.question()).doesNotContain(q.goldenAnswers().get(0));
    }
    // nor any population or head count at all
    world
        .tables()
        .cities()
        .forEach(c -> assertThat(corpusWords).doesNotContain("" + c.population()));
    world
        .tables()
        .companies()
        .forEach(c -> assertThat(corpusWords).doesNotContain("" + c.employees()));
  }

  @Test
  void everySplitGetsItsShareOfBothTemplates() {
    for (Split split : Split.values()) {
      List<WorldQuestion> qs = world().questions(split);
      int total = SQL.splitCount(SQL.questions(), split);
      long sql = qs.stream().filter(q -> q.kind() == QuestionKind.SEARCH_SQL).count();
      assertThat(qs).hasSize(total);
      assertThat(sql).isEqualTo(Math.round(total * SQL.searchSqlFraction()));
      assertThat(
              qs.stream().filter(q -> q.kind() == QuestionKind.SEARCH_SQL).map(q -> q.template()))
          .contains("born_in.population", "works_for.employees");
      assertThat(qs.stream().map(WorldQuestion::dataSource)).contains("searchsql");
    }
  }

  @Test
  void deterministicBySeed() {
    World a = World.generate(SQL);
    World b = World.generate(SQL);
    World c = World.generate(SQL.withSeed(SQL.seed() + 1));
    assertThat(a.tables().script()).isEqualTo(b.tables().script());
    assertThat(a.questions(Split.TRAIN)).isEqualTo(b.questions(Split.TRAIN));
    assertThat(c.tables().script()).isNotEqualTo(a.tables().script());
  }

  @Test
  void writesTheTablesAndRecordsThemInWorldJson(@TempDir Path dir) throws Exception {
    world().writeTo(dir);
    Path tables = dir.resolve(World.TABLES_FILE);
    assertThat(Files.readString(tables)).isEqualTo(world().tables().script());
    JsonNode root = new ObjectMapper().readTree(dir.resolve(World.WORLD_FILE).toFile());
    assertThat(root.at("/sha256/" + World.TABLES_FILE).asText()).hasSize(64);
    assertThat(root.at("/counts/questions/train/searchsql").asInt()).isPositive();
    WorldConfig back = new ObjectMapper().treeToValue(root.get("config"), WorldConfig.class);
    assertThat(back).isEqualTo(SQL);
    // the file the world wrote is what the tool loads
    try (SqlExecutor sql = SqlExecutor.fromScript(tables, SqlLimits.defaults())) {
      assertThat(sql.execute(List.of("SELECT COUNT(*) AS n FROM cities")).get(0))
          .contains("n\n" + world().tables().cities().size());
    }
  }

  @Test
  void theSqlPartChangesNeitherNamesNorTheSearchQuestionsStreams() {
    // turning SQL on keeps every entity and fact: the tables sit next to the same corpus
    World plain = Worlds.small();
    assertThat(world().knowledgeBase().facts()).isEqualTo(plain.knowledgeBase().facts());
    assertThat(world().corpus()).isEqualTo(plain.corpus());
  }

  @Test
  void aConfigWrittenBeforeTheSqlPartReadsAsSearchOnly() throws Exception {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode old = json.valueToTree(WorldConfig.small());
    old.remove("searchSqlFraction");
    WorldConfig back = json.treeToValue(old, WorldConfig.class);
    assertThat(back).isEqualTo(WorldConfig.small());
    assertThat(back.sql()).isFalse();
  }

  @Test
  void withSearchSqlKeepsTheOtherKindsInProportionAndTheMixMustSumToOne() {
    WorldConfig c = WorldConfig.defaults().withSearchSql(0.2);
    assertThat(c.sql()).isTrue();
    assertThat(List.of(c.oneHopFraction(), c.twoHopFraction(), c.noRetrievalFraction()))
        .containsExactly(0.36, 0.36, 0.08);
    assertThat(c.fraction(QuestionKind.SEARCH_SQL)).isEqualTo(0.2);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WorldConfig.small().toBuilder().searchSqlFraction(0.2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("searchSql");
  }
}
