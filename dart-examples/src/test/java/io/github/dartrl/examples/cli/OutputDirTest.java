package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.examples.harness.OutputDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that writes into an output directory checks it the same way, before any work: an
 * empty path ({@code --out ""}, which meant the current directory) and an existing file are refused
 * with one line naming the option; commands that only write new results refuse a non-empty
 * directory and leave what is in it alone ({@code leas probe} and {@code leas attribution} used to
 * overwrite an earlier report in place).
 */
class OutputDirTest {
  @TempDir Path tmp;

  static CliRun run(List<String> args) {
    return CliRun.of(args);
  }

  /**
   * A command line up to its output option; the inputs need not exist: the output directory is
   * checked first, or right after the options' own usage checks.
   */
  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of(List.of("create-tiny", "--hidden", "32"), "--out", true),
        Arguments.of(List.of("index", "--corpus", "corpus.jsonl"), "--index", false),
        Arguments.of(List.of("quickstart", "--smoke"), "--out", true),
        Arguments.of(List.of("compare", "--smoke"), "--out", true),
        Arguments.of(List.of("interference", "--smoke"), "--out", true),
        Arguments.of(
            List.of(
                "train-real", "--model", "m", "--train", "t.jsonl", "--index", "i", "--steps", "1"),
            "--out",
            false),
        Arguments.of(List.of("leas", "attribution", "--counts", "counts.jsonl"), "--out", true));
  }

  private static List<String> with(List<String> args, String option, String value) {
    List<String> all = new ArrayList<>(args);
    all.add(option);
    all.add(value);
    return all;
  }

  @ParameterizedTest
  @MethodSource("commands")
  void anEmptyPathIsRefusedNamingTheOption(List<String> args, String option, boolean requireNew) {
    CliRun r = run(with(args, option, ""));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: " + option + " must name a directory, got an empty path")
        .doesNotContain("\tat ");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void anExistingFileIsRefusedAndKept(List<String> args, String option, boolean requireNew)
      throws Exception {
    Path file = Files.writeString(tmp.resolve("result.json"), "{\"kept\": true}");
    CliRun r = run(with(args, option, file.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("output path exists and is not a directory: " + file);
    assertThat(file).hasContent("{\"kept\": true}");
  }

  @ParameterizedTest
  @MethodSource("commands")
  void aDirectoryHoldingAnEarlierResultIsRefusedAndKept(
      List<String> args, String option, boolean requireNew) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("earlier"));
    Path notes = Files.writeString(dir.resolve("notes.md"), "mine");
    CliRun r = run(with(args, option, dir.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    if (requireNew) {
      assertThat(r.err()).contains("output directory is not empty: " + dir);
    }
    assertThat(notes).hasContent("mine");
    try (var entries = Files.list(dir)) {
      assertThat(entries).containsExactly(notes);
    }
  }

  /** The probe needs a model first; with one, an earlier report is refused, not overwritten. */
  @Test
  void leasProbeRefusesAnEarlierReport() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("config.json"), "{}");
    Files.writeString(model.resolve("tokenizer.json"), "{}");
    Path data = Files.writeString(tmp.resolve("qa.jsonl"), "");
    Path index = Files.createDirectories(tmp.resolve("index"));
    Path report = Files.createDirectories(tmp.resolve("report"));
    Path earlier = Files.writeString(report.resolve("probe.json"), "{\"earlier\": 1}");
    CliRun r =
        run(
            List.of(
                "leas",
                "probe",
                "-m",
                model.toString(),
                "--data",
                data.toString(),
                "--index",
                index.toString(),
                "--out",
                report.toString()));
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("output directory is not empty: " + report);
    assertThat(earlier).hasContent("{\"earlier\": 1}");
  }

  @Test
  void anEmptyExistingDirectoryIsAccepted() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(OutputDir.requireNew(empty, "--out")).isEqualTo(empty);
    assertThat(OutputDir.requireNew(tmp.resolve("absent"), "--out"))
        .isEqualTo(tmp.resolve("absent"));
  }
}
