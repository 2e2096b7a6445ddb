package io.github.dartrl.examples.quickstart;

import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.examples.cli.PromptTemplateFile;
import io.github.dartrl.examples.world.World;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What lets {@code dart4j eval} reproduce the quickstart's final evaluation from its saved files:
 * the exact prompt ({@code prompt.txt}, read back by {@code --template file:PATH}) and a picocli
 * argument file ({@code eval.args}) with the warm model, the saved adapters, the test split, the
 * index and the evaluation's rollout settings, batch size and seed. Run it as {@code dart4j
 * eval @OUT/eval.args --out DIR}.
 */
final class EvalReproduction {
  /** The argument file's name in the quickstart's output. */
  static final String ARGS_FILE = "eval.args";

  /** The prompt template's file name in the quickstart's output. */
  static final String PROMPT_FILE = "prompt.txt";

  private EvalReproduction() {}

  /** Writes {@code prompt.txt} and {@code eval.args} into {@code out}. */
  static void write(Path out, QuickstartConfig c, WarmStart warm, Path adapters)
      throws IOException {
    Path prompt = out.resolve(PROMPT_FILE).toAbsolutePath();
    PromptTemplateFile.write(c.template(), prompt);
    GrpoConfig g = c.grpo();
    RolloutConfig r = g.rollout();
    List<String> args = new ArrayList<>();
    add(args, "--model", warm.warmModel().toAbsolutePath().toString());
    add(args, "--adapters", adapters.toAbsolutePath().toString());
    add(
        args,
        "--data",
        warm.worldDir()
            .resolve(io.github.dartrl.examples.world.Split.TEST.fileName())
            .toAbsolutePath()
            .toString());
    add(args, "--index", warm.indexDir().toAbsolutePath().toString());
    add(args, "--template", PromptTemplateFile.PREFIX + prompt);
    if (c.sql()) {
      add(
          args,
          "--sql-tables",
          warm.worldDir().resolve(World.TABLES_FILE).toAbsolutePath().toString());
    }
    add(args, "--max-turns", Integer.toString(r.maxTurns()));
    add(args, "--turn-tokens", Integer.toString(r.maxTurnTokens()));
    add(args, "--observation-tokens", Integer.toString(r.maxObservationTokens()));
    add(args, "--topk", Integer.toString(r.topK()));
    add(args, "--batch-size", Integer.toString(g.evalBatchSize()));
    add(args, "--seed", Long.toString(g.seed()));
    add(args, "--limit", Integer.toString(c.evalLimit()));
    StringBuilder text = new StringBuilder();
    for (String a : args) {
      text.append(quote(a)).append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(out.resolve(ARGS_FILE), o -> o.write(bytes));
  }

  private static void add(List<String> args, String option, String value) {
    args.add(option);
    args.add(value);
  }

  /**
   * One argument as picocli's argument-file reader takes it back: in double quotes when it holds
   * white space, a quote or a backslash, with those two escaped.
   */
  static String quote(String arg) {
    if (!arg.isEmpty()
        && arg.chars()
            .noneMatch(
                ch ->
                    Character.isWhitespace(ch)
                        || ch == '"'
                        || ch == '\''
                        || ch == '\\'
                        || ch == '#')) {
      return arg;
    }
    return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
