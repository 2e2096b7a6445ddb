package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.Devices;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.BaseModelCheck;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every model command shares: a model directory, optional adapters, the device. */
final class ModelOptions {
  @Mixin DeviceOption deviceOption;

  @Option(
      names = {"--model", "-m"},
      required = true,
      description = "HF model directory (config.json, safetensors, tokenizer.json)")
  Path model;

  @Option(
      names = "--adapters",
      description =
          "adapter directory written by dart4j (dart.json + PEFT sub-directories), or a plain PEFT"
              + " LoRA directory (adapter_config.json + adapter_model.safetensors), loaded as LORA")
  Path adapters;

  @Option(
      names = {"--eval-as", "--method"},
      description =
          "single-adapter evaluation of DART adapters: DART_REASONING_ONLY or DART_TOOL_ONLY")
  Method evalAs;

  @Option(
      names = "--only-adapter",
      description =
          "evaluate one adapter alone (its index in dart.json's adapters, e.g. 2 for the sql"
              + " adapter of a search,sql DART); the positions other adapters serve run the"
              + " backbone")
  Integer onlyAdapter;

  @Option(
      names = "--allow-base-model-mismatch",
      description =
          "load --adapters even when their dart.json names another base model (warns instead of"
              + " refusing)")
  boolean allowBaseModelMismatch;

  /** Checks the directory before any native code runs, so the error is about the user's path. */
  void validate() {
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("model directory not found: " + model);
    }
    for (String f : new String[] {"config.json", "tokenizer.json"}) {
      if (!Files.isRegularFile(model.resolve(f))) {
        throw new IllegalArgumentException(model + " is not a model directory: no " + f);
      }
    }
    if (adapters != null
        && !Files.isRegularFile(adapters.resolve(PolicyCheckpoint.DART_FILE))
        && !PolicyCheckpoint.isPlainPeft(adapters)) {
      throw new IllegalArgumentException(
          adapters + " is not an adapter directory: no dart.json and no adapter_config.json");
    }
  }

  /** A loaded model, tokenizer and policy (bare backbone when no adapters are given). */
  record Loaded(NDManager root, DecoderModel model, TextTokenizer tokenizer, Policy policy)
      implements AutoCloseable {
    @Override
    public void close() {
      policy.close();
      tokenizer.close();
      model.close();
      root.close();
    }
  }

  Loaded load() {
    validate();
    NDManager root = Devices.newRoot(deviceOption.select());
    DecoderModel m = null;
    TextTokenizer tok = null;
    try {
      m = HfCheckpoint.load(model, root);
      tok = TextTokenizer.load(model);
      if (tok.vocabSize() > m.config().vocabSize()) {
        throw new IllegalArgumentException(
            model.resolve("tokenizer.json")
                + " has "
                + tok.vocabSize()
                + " tokens, more than "
                + model.resolve("config.json")
                + " vocab_size "
                + m.config().vocabSize()
                + ": the tokenizer belongs to another model");
      }
      BaseModelCheck check = allowBaseModelMismatch ? BaseModelCheck.WARN : BaseModelCheck.REFUSE;
      Policy p =
          adapters == null
              ? Policy.create(m, PolicyConfig.of(Method.NONE, 8), tok)
              : PolicyCheckpoint.isPlainPeft(adapters)
                  ? PolicyCheckpoint.loadPeft(m, adapters, PolicyConfig.lora(), tok, check)
                  : PolicyCheckpoint.load(m, adapters, tok, NonFiniteWeights.REJECT, check);
      if (evalAs != null) {
        p = p.evaluatedAs(evalAs);
      }
      if (onlyAdapter != null) {
        p = p.onlyAdapter(onlyAdapter);
      }
      return new Loaded(root, m, tok, p);
    } catch (RuntimeException e) {
      if (tok != null) {
        tok.close();
      }
      if (m != null) {
        m.close();
      }
      root.close();
      throw e;
    }
  }
}
