package io.github.dartrl.examples.faults;

import static io.github.dartrl.core.faults.FaultCase.exits;
import static io.github.dartrl.core.faults.FaultCase.of;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.Workspace;
import io.github.dartrl.grpo.faults.CorpusFaults;
import java.util.List;

/**
 * Bad {@code dart4j} command lines: a usage error exits 2 with picocli's message, a bad input exits
 * 1 with one {@code error:} line; neither prints a stack trace or writes anything.
 */
final class CliFaults {
  private CliFaults() {}

  private static final FaultCase.Arrange NOTHING = w -> {};

  static List<FaultCase> cases() {
    Category c = Category.CLI;
    return List.of(
        of(
            "cli-unknown-command",
            c,
            "dart4j train-everything",
            NOTHING,
            w -> Cli.run("train-everything"),
            exits(2, "Unmatched argument", "train-everything")),
        of(
            "cli-generate-missing-model",
            c,
            "generate -p x (no --model)",
            NOTHING,
            w -> Cli.run("generate", "-p", "x"),
            exits(2, "Missing required option", "--model")),
        of(
            "cli-generate-model-not-found",
            c,
            "generate -m DIR-THAT-DOES-NOT-EXIST",
            NOTHING,
            w -> Cli.runIn(w, "generate", "-m", "{root}/nope", "-p", "x"),
            exits(1, "error: model directory not found", "nope")),
        of(
            "cli-generate-broken-config",
            c,
            "generate -m DIR whose config.json has \"hidden_size\": \"big\"",
            w -> w.editJson(w.model().resolve("config.json"), n -> n.put("hidden_size", "big")),
            w -> Cli.run("generate", "-m", w.model().toString(), "-p", "the capital"),
            exits(1, "error: ", "config.json [hidden_size]", "expected a positive integer")),
        of(
            "cli-generate-max-new-tokens-0",
            c,
            "generate --max-new-tokens 0",
            Workspace::model,
            w ->
                Cli.run("generate", "-m", w.model().toString(), "-p", "x", "--max-new-tokens", "0"),
            exits(2, "--max-new-tokens must be > 0, got 0")),
        of(
            "cli-generate-top-p-2",
            c,
            "generate --top-p 2",
            Workspace::model,
            w -> Cli.run("generate", "-m", w.model().toString(), "-p", "x", "--top-p", "2"),
            exits(2, "--top-p", "topP must be in (0, 1], got 2.0")),
        of(
            "cli-generate-top-k-not-a-number",
            c,
            "generate --top-k many",
            Workspace::model,
            w -> Cli.run("generate", "-m", w.model().toString(), "-p", "x", "--top-k", "many"),
            exits(2, "Invalid value for option '--top-k'", "many")),
        of(
            "cli-generate-adapters-not-adapters",
            c,
            "generate --adapters out/ (no dart.json)",
            Workspace::model,
            w ->
                Cli.run(
                    "generate",
                    "-m",
                    w.model().toString(),
                    "-p",
                    "x",
                    "--adapters",
                    w.out().toString()),
            exits(1, "is not an adapter directory: no dart.json")),
        of(
            "cli-create-tiny-out-not-empty",
            c,
            "create-tiny --out out/ holding a previous result",
            NOTHING,
            w -> Cli.runIn(w, "create-tiny", "--out", "{root}/out", "--hidden", "32"),
            exits(1, "error: output directory is not empty", "out")),
        of(
            "cli-create-tiny-out-is-a-file",
            c,
            "create-tiny --out out/previous-result.json",
            NOTHING,
            w -> Cli.runIn(w, "create-tiny", "--out", "{root}/" + Workspace.PREVIOUS_RESULT),
            exits(1, "error: output path exists and is not a directory", "previous-result.json")),
        of(
            "cli-create-tiny-hidden-negative",
            c,
            "create-tiny --hidden -8",
            NOTHING,
            w -> Cli.runIn(w, "create-tiny", "--out", "{root}/new", "--hidden", "-8"),
            exits(2, "--hidden must be > 0, got -8")),
        of(
            "cli-create-tiny-odd-head-dim",
            c,
            "create-tiny --hidden 12 --heads 4",
            NOTHING,
            w ->
                Cli.runIn(
                    w, "create-tiny", "--out", "{root}/new", "--hidden", "12", "--heads", "4"),
            exits(2, "--hidden/--heads/--kv-heads", "even quotient")),
        of(
            "cli-create-tiny-text-missing",
            c,
            "create-tiny --text FILE-THAT-DOES-NOT-EXIST",
            NOTHING,
            w -> Cli.runIn(w, "create-tiny", "--out", "{root}/new", "--text", "{root}/words.txt"),
            exits(1, "error: --text file not found", "words.txt")),
        of(
            "cli-index-corpus-missing",
            c,
            "index --corpus FILE-THAT-DOES-NOT-EXIST",
            NOTHING,
            w -> Cli.runIn(w, "index", "--corpus", "{root}/nope.jsonl", "--index", "{root}/idx"),
            exits(1, "error: corpus", "nope.jsonl", "does not exist")),
        of(
            "cli-index-into-previous-result",
            c,
            "index --index out/ holding a previous result",
            w -> w.write("corpus.jsonl", CorpusFaults.GOOD),
            w -> Cli.runIn(w, "index", "--corpus", "{root}/corpus.jsonl", "--index", "{root}/out"),
            exits(1, "error: index directory", "already exists and is not empty")),
        of(
            "cli-search-topk-0",
            c,
            "search --topk 0",
            NOTHING,
            w -> Cli.runIn(w, "search", "--index", "{root}/out", "--topk", "0", "paris"),
            exits(2, "--topk must be >= 1, got 0")),
        of(
            "cli-serve-port-out-of-range",
            c,
            "serve-retriever --port 70000",
            NOTHING,
            w -> Cli.runIn(w, "serve-retriever", "--index", "{root}/out", "--port", "70000"),
            exits(2, "port must be in [0, 65535]")),
        of(
            "cli-quickstart-out-not-empty",
            c,
            "quickstart --out out/ holding a previous result",
            NOTHING,
            w -> Cli.runIn(w, "quickstart", "--smoke", "--out", "{root}/out"),
            exits(1, "error: output directory is not empty")),
        of(
            "cli-quickstart-grpo-steps-negative",
            c,
            "quickstart --grpo-steps -1",
            NOTHING,
            w -> Cli.runIn(w, "quickstart", "--smoke", "--grpo-steps", "-1", "--out", "{root}/qs"),
            exits(2, "--grpo-steps: ", "totalSteps must be > 0")),
        of(
            "cli-quickstart-sql-fraction-without-sql",
            c,
            "quickstart --sql-fraction 0.5 without --tools search,sql",
            NOTHING,
            w ->
                Cli.runIn(
                    w, "quickstart", "--smoke", "--sql-fraction", "0.5", "--out", "{root}/qs"),
            exits(2, "--sql-fraction needs --tools search,sql")),
        of(
            "cli-quickstart-sql-fraction-out-of-range",
            c,
            "quickstart --tools search,sql --sql-fraction 1",
            NOTHING,
            w ->
                Cli.runIn(
                    w,
                    "quickstart",
                    "--smoke",
                    "--tools",
                    "search,sql",
                    "--sql-fraction",
                    "1",
                    "--out",
                    "{root}/qs"),
            exits(2, "--sql-fraction must be in (0, 1), got 1.0")),
        of(
            "cli-interference-lora-rank-zero",
            c,
            "interference --lora-rank 0",
            NOTHING,
            w -> Cli.runIn(w, "interference", "--smoke", "--lora-rank", "0", "--out", "{root}/i"),
            exits(2, "--lora-rank: rank must be > 0, got 0")),
        of(
            "cli-interference-unknown-lora-target",
            c,
            "interference --lora-targets q_proj,wq",
            NOTHING,
            w ->
                Cli.runIn(
                    w,
                    "interference",
                    "--smoke",
                    "--lora-targets",
                    "q_proj,wq",
                    "--out",
                    "{root}/i"),
            exits(2, "--lora-targets: unknown target module wq; expected some of [q_proj,")),
        of(
            "cli-leas-probe-without-data",
            c,
            "leas probe without --data/--index",
            Workspace::model,
            w ->
                Cli.run(
                    "leas", "probe", "-m", w.model().toString(), "--out", w.path("r").toString()),
            exits(2, "--data and --index are required")),
        of(
            "cli-leas-controls-run-without-equals",
            c,
            "leas controls --run DIR (no NAME=)",
            NOTHING,
            w -> Cli.runIn(w, "leas", "controls", "--run", "{root}/out"),
            exits(2, "--run: expected NAME=DIR")),
        of(
            "cli-leas-controls-unfinished-run",
            c,
            "leas controls --run a=DIR where DIR has no summary.json",
            NOTHING,
            w -> Cli.runIn(w, "leas", "controls", "--run", "a={root}/out"),
            exits(1, "summary.json does not exist", "finished `dart4j interference` run")),
        of(
            "cli-leas-power-share-out-of-range",
            c,
            "leas power --share 1.5",
            NOTHING,
            w ->
                Cli.runIn(
                    w,
                    "leas",
                    "power",
                    "--counts",
                    "{root}/counts.jsonl",
                    "--out",
                    "{root}/out",
                    "--share",
                    "1.5"),
            exits(2, "shares must be in [0, 1], got 1.5")),
        of(
            "cli-leas-power-counts-not-found",
            c,
            "leas power --counts FILE that does not exist",
            NOTHING,
            w ->
                Cli.runIn(
                    w, "leas", "power", "--counts", "{root}/counts.jsonl", "--out", "{root}/out"),
            exits(1, "counts file not found")));
  }
}
