package io.github.dartrl.examples.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.cli.DartCli;
import io.github.dartrl.examples.world.WorldConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A reused warm start must be complete and made on this run's world. */
class CompareWarmStartTest {

  @Test
  void aWarmStartOfAnotherWorldIsRefused(@TempDir Path tmp) throws Exception {
    Path warm = tmp.resolve("warm");
    Files.createDirectories(warm.resolve("world"));
    Files.createDirectories(warm.resolve("index"));
    Files.createDirectories(warm.resolve("model-sft"));
    Files.writeString(warm.resolve("model-sft/config.json"), "{}");
    new ObjectMapper()
        .writeValue(
            warm.resolve("world/world.json").toFile(), Map.of("config", WorldConfig.small()));
    // --smoke runs on the small world: accepted up to the missing model weights
    assertThat(
            run("--smoke", "--warm-start", warm.toString(), "--out", tmp.resolve("a").toString()))
        .doesNotContain("not this run's world");
    // the default run is on the default world: refused before anything runs
    assertThat(run("--warm-start", warm.toString(), "--out", tmp.resolve("b").toString()))
        .contains("not this run's world");
    Files.delete(warm.resolve("model-sft/config.json"));
    assertThat(
            run("--smoke", "--warm-start", warm.toString(), "--out", tmp.resolve("c").toString()))
        .contains("no model-sft/config.json");
  }

  private static String run(String... args) {
    CommandLine cli = DartCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    String[] all = new String[args.length + 1];
    all[0] = "compare";
    System.arraycopy(args, 0, all, 1, args.length);
    assertThat(cli.execute(all)).isNotZero();
    return err.toString();
  }
}
