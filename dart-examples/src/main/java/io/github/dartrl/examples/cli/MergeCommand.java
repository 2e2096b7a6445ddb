package io.github.dartrl.examples.cli;

import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.policy.MergedExport;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.examples.harness.OutputDir;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j merge}: folds one adapter into the backbone and writes a standard HF model
 * directory (config.json, safetensors, the base model's tokenizer files), e.g. for vLLM or
 * transformers without PEFT.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Fold one adapter (a LoRA adapter, or DART's adapter for one role) into the backbone and"
          + " write a standard HF model directory.",
      "A merged DART role equals the DART model only on sequences whose positions all route to"
          + " that role; serve the unmerged DART model with per-token routing otherwise"
          + " (docs/formats.md)."
    })
public final class MergeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--out", required = true, description = "new model directory (absent or empty)")
  Path out;

  @Option(
      names = "--role",
      description =
          "DART: the role whose adapter to merge, REASONING or TOOL (REASONING's adapter also"
              + " serves prompt and observation tokens); not needed for a single LoRA adapter")
  TokenRole role;

  @Option(
      names = "--dtype",
      description = "stored weight type: F32, BF16 or F16 (default: the base model's torch_dtype)")
  SafetensorsDType dtype;

  @Override
  public Integer call() {
    if (modelOptions.adapters == null) {
      throw new ParameterException(spec.commandLine(), "merge needs --adapters");
    }
    if (modelOptions.evalAs != null) {
      throw new ParameterException(
          spec.commandLine(), "--eval-as has no meaning for merge; choose the adapter with --role");
    }
    if (dtype != null
        && dtype != SafetensorsDType.F32
        && dtype != SafetensorsDType.BF16
        && dtype != SafetensorsDType.F16) {
      throw new ParameterException(
          spec.commandLine(), "--dtype must be F32, BF16 or F16, got " + dtype);
    }
    OutputDir.requireNew(out, "--out");
    try (ModelOptions.Loaded m = modelOptions.load()) {
      Method method = m.policy().method();
      TokenRole r = role;
      if (r == null) {
        if (m.policy().adapters() != null && m.policy().adapters().configs().size() != 1) {
          throw new ParameterException(
              spec.commandLine(),
              method + " adapters: choose the adapter to merge with --role REASONING or TOOL");
        }
        r = TokenRole.REASONING;
      }
      int adapter = MergedExport.adapterFor(m.policy(), r);
      SafetensorsDType stored =
          dtype != null ? dtype : MergedExport.dtypeOf(m.model().config().torchDtype());
      MergedExport.write(m.policy(), adapter, out, modelOptions.model, stored);
      spec.commandLine()
          .getOut()
          .println(
              "merged adapter "
                  + m.policy().adapters().configs().get(adapter).name()
                  + " ("
                  + method
                  + (role == null ? "" : ", role " + r)
                  + ") into "
                  + out
                  + " ("
                  + stored
                  + ")");
    }
    return 0;
  }
}
