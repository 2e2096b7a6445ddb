package io.github.dartrl.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The quoting of eval.args survives picocli's own argument-file reader. */
class EvalReproductionTest {

  @Command(name = "echo")
  static final class Echo {
    @Parameters List<String> args = new ArrayList<>();
  }

  @Test
  void awkwardPathsComeBackVerbatim(@TempDir Path tmp) throws Exception {
    List<String> awkward =
        List.of(
            "/plain/path",
            "/with space/x",
            "/quote\"d/x",
            "/single'quote/x",
            "C:\\windows\\style",
            "/hash#x",
            "file:/a b/prompt.txt",
            "ü/é");
    StringBuilder text = new StringBuilder();
    for (String a : awkward) {
      text.append(EvalReproduction.quote(a)).append('\n');
    }
    Path file = tmp.resolve("args");
    Files.writeString(file, text);
    Echo echo = new Echo();
    new CommandLine(echo).parseArgs("@" + file);
    assertThat(echo.args).containsExactlyElementsOf(awkward);
  }
}
