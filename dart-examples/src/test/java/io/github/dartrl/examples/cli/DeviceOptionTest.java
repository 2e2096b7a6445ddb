package io.github.dartrl.examples.cli;

import static io.github.dartrl.examples.cli.ModelCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.dartrl.examples.JobDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --device} on every command that loads a model; a GPU on a CPU-only build is refused. */
class DeviceOptionTest {
  @AfterEach
  void backToTheCpu() {
    JobDevice.use(Device.cpu());
  }

  @Test
  void everyCommandThatLoadsAModelHasTheOption() {
    CommandLine cli = DartCli.commandLine();
    for (String name :
        List.of(
            "generate", "score", "quickstart", "compare", "interference", "train-real", "bench")) {
      assertThat(cli.getSubcommands().get(name).getCommandSpec().findOption("--device"))
          .as(name)
          .isNotNull();
    }
    CommandLine leas = cli.getSubcommands().get("leas");
    for (CommandLine sub : leas.getSubcommands().values()) {
      // leas controls only reads finished runs' summaries, leas power only a count table: no
      // model, no device
      boolean loadsAModel = !List.of("controls", "power").contains(sub.getCommandName());
      assertThat(sub.getCommandSpec().findOption("--device") != null)
          .as(sub.getCommandName())
          .isEqualTo(loadsAModel);
    }
    assertThat(leas.getSubcommands()).containsKeys("probe", "attribution", "controls", "power");
  }

  @Test
  void cpuRunsAndGpuIsAClearErrorOnThisMachine(@TempDir Path tmp) {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
    Path model = tmp.resolve("tiny");
    CliRun created =
        run("create-tiny", "--out", model.toString(), "--hidden", "32", "--layers", "1");
    assertThat(created.exit()).as(created.err()).isZero();

    CliRun cpu = run("score", "-m", model.toString(), "--text", "the capital", "--device", "cpu");
    assertThat(cpu.exit()).as(cpu.err()).isZero();
    assertThat(cpu.out()).contains("logprob");

    CliRun gpu = run("generate", "-m", model.toString(), "-p", "the", "--device", "gpu");
    assertThat(gpu.exit()).isEqualTo(1);
    assertThat(gpu.err())
        .contains("gpu:0")
        .contains("no CUDA GPU")
        .contains("--device cpu")
        .doesNotContain("Exception");

    CliRun typo = run("score", "-m", model.toString(), "--text", "x", "--device", "cuda");
    assertThat(typo.exit()).isEqualTo(1);
    assertThat(typo.err()).contains("cpu, gpu or gpu:N");
  }

  @Test
  void aJobAskedForAGpuStopsBeforeWritingAnything(@TempDir Path tmp) {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
    Path out = tmp.resolve("run");
    CliRun r = run("quickstart", "--out", out.toString(), "--smoke", "--device", "gpu:1");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("gpu:1").contains("no CUDA GPU");
    assertThat(Files.exists(out)).isFalse();
    assertThat(JobDevice.get()).isEqualTo(Device.cpu());
  }
}
