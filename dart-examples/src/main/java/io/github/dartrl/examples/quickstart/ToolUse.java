package io.github.dartrl.examples.quickstart;

import io.github.dartrl.grpo.train.QuestionResult;
import java.util.function.Consumer;

/**
 * Counts, over an evaluation, the questions whose response holds a complete call of one tool (its
 * opening tag, later its closing tag): e.g. how often the policy queried the SQL tables.
 */
public final class ToolUse implements Consumer<QuestionResult> {
  private final String open;
  private final String close;
  private int questions;
  private int calling;

  public ToolUse(String open, String close) {
    this.open = open;
    this.close = close;
  }

  @Override
  public void accept(QuestionResult q) {
    questions++;
    int o = q.response().indexOf(open);
    calling += o >= 0 && q.response().indexOf(close, o + open.length()) >= 0 ? 1 : 0;
  }

  /** Share of the questions seen so far with a complete call (NaN before any). */
  public double rate() {
    return questions == 0 ? Double.NaN : calling / (double) questions;
  }
}
