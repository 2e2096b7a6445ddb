package io.github.dartrl.grpo.tool.sql;

import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import io.github.dartrl.grpo.tool.Tool;
import java.util.List;
import java.util.Objects;

/**
 * The SQL tool of the public SPI: calls written in {@code <sql>…</sql>} run on a {@link
 * SqlExecutor} (read-only, SELECT only, timeout and row limit; every refusal or engine error is the
 * observation). Observations are framed like the search tool's ({@code <information>…
 * </information>}) and cut to the token limit with the closing tag kept. The executor is the
 * caller's to close.
 *
 * @param executor the database the calls run on
 */
public record SqlTool(SqlExecutor executor) implements Tool {

  public SqlTool {
    Objects.requireNonNull(executor, "executor");
  }

  @Override
  public String name() {
    return SqlExecutor.NAME;
  }

  @Override
  public ToolSpan span() {
    return new ToolSpan(SqlExecutor.OPEN, SqlExecutor.CLOSE);
  }

  @Override
  public List<String> execute(List<String> calls) {
    return executor.execute(calls);
  }

  @Override
  public long[] observationTokens(String observation, TextTokenizer tokenizer, int maxTokens) {
    return new ObservationFormatter(tokenizer, maxTokens).tokens(observation);
  }
}
