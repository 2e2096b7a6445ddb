package io.github.dartrl.examples.cli;

import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.examples.interference.ControlsTable;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j leas controls}: finished interference runs side by side ({@link ControlsTable}),
 * the form docs/leas.md quotes for the negative and the positive control.
 */
@Command(
    name = "controls",
    mixinStandardHelpOptions = true,
    description = {
      "Put finished `dart4j interference` runs side by side: per run the fraction of lambda23 < 0"
          + " with its CI against the identical-models null, and per probe target the batch-split"
          + " angles (inter-role vs same-role), each with a stated reading.",
      "Reads RUN/summary.json of every --run; prints Markdown, and writes it to --out if given."
    })
public final class LeasControlsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "NAME=DIR",
      description = "a finished interference run and its label, e.g. default=runs/c/default")
  List<String> runs;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "also write the tables here (must not exist)")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<ControlsTable.Run> parsed;
    try {
      parsed = runs.stream().map(ControlsTable.Run::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--run: " + e.getMessage());
    }
    if (out != null && Files.exists(out)) {
      throw new ParameterException(
          spec.commandLine(), "--out " + out + " exists; it is never overwritten");
    }
    String md = ControlsTable.markdown(parsed);
    if (out != null) {
      AtomicFiles.write(out, o -> o.write(md.getBytes(StandardCharsets.UTF_8)));
    }
    PrintWriter w = spec.commandLine().getOut();
    w.print(md);
    w.flush();
    return 0;
  }
}
