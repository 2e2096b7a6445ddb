package io.github.dartrl.examples.world;

/** What a question needs; its {@link #dataSource()} is the {@code data_source} field. */
public enum QuestionKind {
  /** One search: the answer is a fact about the entity named in the question. */
  ONE_HOP("onehop"),
  /** Two searches: the first hop's answer is the entity to search for next. */
  TWO_HOP("twohop"),
  /** No search: arithmetic on number words, or the fact is stated in the question. */
  NO_RETRIEVAL("noretrieval"),
  /**
   * A search, then an SQL query: the search finds the entity (e.g. where someone was born), and the
   * asked value (that city's population) is only in the world's tables, never in a passage. Only in
   * worlds with {@link WorldConfig#sql()}.
   */
  SEARCH_SQL("searchsql");

  private final String dataSource;

  QuestionKind(String dataSource) {
    this.dataSource = dataSource;
  }

  /** The {@code data_source} value written to the QA files. */
  public String dataSource() {
    return dataSource;
  }
}
