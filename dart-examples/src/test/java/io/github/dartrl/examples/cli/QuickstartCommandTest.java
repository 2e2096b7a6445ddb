package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.examples.quickstart.QuickstartConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code quickstart}'s options as they reach the run's config (no run). */
class QuickstartCommandTest {

  static QuickstartConfig config(String... args) {
    QuickstartCommand q = new QuickstartCommand();
    new CommandLine(q).parseArgs(args);
    return q.config();
  }

  @Test
  void sqlFractionSetsTheShareOfSearchThenSqlQuestions() {
    assertThat(config("--smoke", "--out", "x").world().searchSqlFraction()).isZero();
    assertThat(config("--smoke", "--tools", "search,sql", "--out", "x").world().searchSqlFraction())
        .isEqualTo(QuickstartConfig.SQL_FRACTION);
    QuickstartConfig c =
        config("--smoke", "--tools", "search,sql", "--sql-fraction", "0.6", "--out", "x");
    assertThat(c.world().searchSqlFraction()).isEqualTo(0.6);
    // the other kinds share the rest in their old proportions
    assertThat(
            c.world().oneHopFraction()
                + c.world().twoHopFraction()
                + c.world().noRetrievalFraction())
        .isCloseTo(0.4, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(c.tools()).containsExactly("search", "sql");
  }

  @Test
  void sqlFractionNeedsTheSqlToolAndARange() {
    assertThatThrownBy(() -> config("--smoke", "--sql-fraction", "0.5", "--out", "x"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--sql-fraction needs --tools search,sql");
    for (String bad : new String[] {"0", "1", "-0.2"}) {
      assertThatThrownBy(
              () -> config("--smoke", "--tools", "search,sql", "--sql-fraction", bad, "--out", "x"))
          .isInstanceOf(ParameterException.class)
          .hasMessageStartingWith("--sql-fraction must be in (0, 1), got");
    }
  }
}
