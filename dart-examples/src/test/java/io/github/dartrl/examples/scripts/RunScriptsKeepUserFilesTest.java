package io.github.dartrl.examples.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run scripts ({@code scripts/quickstart.sh}, {@code compare.sh}, {@code interference.sh},
 * {@code soak.sh}) used to {@code rm -rf} their output directory, so a directory holding the user's
 * files was emptied, and a relative one was resolved against the checkout. Now they refuse a
 * directory that is not empty, before building anything, and a relative path means the caller's
 * directory. {@code DART4J_SKIP_BUILD=1} keeps a regression from starting a Maven build here.
 */
class RunScriptsKeepUserFilesTest {
  @TempDir Path tmp;

  record Run(int exit, String err) {}

  private static Path root() {
    // surefire runs in dart-examples/
    return Path.of("").toAbsolutePath().getParent();
  }

  private Run script(String name, Path cwd, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("scripts/" + name).toString());
    command.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(command).directory(cwd.toFile());
    b.environment().put("DART4J_SKIP_BUILD", "1");
    Path err = tmp.resolve(name + ".err");
    b.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = b.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " ends").isTrue();
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Path dirWithNotes(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("notes.txt"), "my notes\n");
  }

  /** Every script that writes into a user's directory. */
  static List<String> scripts() {
    return List.of(
        "quickstart.sh",
        "compare.sh",
        "interference.sh",
        "soak.sh",
        "compare-study.sh",
        "leas-controls.sh",
        "spark-cluster.sh");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void refusesADirectoryHoldingAFileAndKeepsIt(String script) throws Exception {
    Path out = tmp.resolve("results");
    Path notes = dirWithNotes(out);

    Run r = script(script, tmp, out.toString(), "--smoke");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("error: output directory is not empty: " + out);
    assertThat(notes).hasContent("my notes");
    try (var entries = Files.list(out)) {
      assertThat(entries).containsExactly(notes);
    }
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void resolvesARelativeDirectoryAgainstTheCallersDirectory(String script) throws Exception {
    Path notes = dirWithNotes(tmp.resolve("rel"));

    Run r = script(script, tmp, "rel");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("output directory is not empty: " + tmp.resolve("rel"));
    assertThat(notes).hasContent("my notes");
    assertThat(root().resolve("rel")).doesNotExist();
  }

  /**
   * {@code scripts/keep-results.sh SRC DST}: copies the raw outputs only (no weights, tokenizers,
   * adapters, checkpoints) and never writes into a directory that holds anything.
   */
  @Test
  void keepResultsCopiesRawOutputsOnlyAndNeverOverwrites() throws Exception {
    Path src = tmp.resolve("run");
    Files.createDirectories(src.resolve("seed-1/DART/grpo"));
    Files.writeString(src.resolve("study.args"), "world=default\n");
    Files.writeString(src.resolve("seed-1/DART/questions.jsonl"), "{}\n");
    Files.writeString(src.resolve("seed-1/DART/grpo/metrics.jsonl"), "{}\n");
    Files.writeString(src.resolve("seed-1/DART/summary.md"), "# s\n");
    Files.writeString(src.resolve("seed-1/DART/log.txt"), "not kept\n");
    for (String heavy : List.of("model-sft", "adapters", "checkpoints", "index", "world")) {
      Files.createDirectories(src.resolve("seed-1/" + heavy));
      Files.writeString(src.resolve("seed-1/" + heavy + "/config.json"), "{}");
    }

    Run r = script("keep-results.sh", tmp, "run", "kept");

    assertThat(r.exit()).as(r.err()).isZero();
    Path kept = tmp.resolve("kept");
    try (var files = Files.walk(kept)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> kept.relativize(f).toString()))
          .containsExactlyInAnyOrder(
              "study.args",
              "seed-1/DART/questions.jsonl",
              "seed-1/DART/grpo/metrics.jsonl",
              "seed-1/DART/summary.md");
    }
    // again into the same directory, and into one holding the user's notes: refused, untouched
    Run again = script("keep-results.sh", tmp, "run", "kept");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("output directory is not empty: " + kept);
    Path notes = dirWithNotes(tmp.resolve("mine"));
    Run mine = script("keep-results.sh", tmp, "run", "mine");
    assertThat(mine.exit()).isEqualTo(1);
    assertThat(notes).hasContent("my notes");
    try (var entries = Files.list(tmp.resolve("mine"))) {
      assertThat(entries).containsExactly(notes);
    }
    assertThat(script("keep-results.sh", tmp, "missing", "x").err())
        .contains("missing is not a directory");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void refusesAFileAndAnEmptyName(String script) throws Exception {
    Path file = Files.writeString(tmp.resolve("results.json"), "{}");

    Run onFile = script(script, tmp, file.toString());
    Run empty = script(script, tmp, "");

    assertThat(onFile.exit()).isEqualTo(1);
    assertThat(onFile.err()).contains("output path exists and is not a directory: " + file);
    assertThat(file).hasContent("{}");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("OUT_DIR is empty");
  }
}
