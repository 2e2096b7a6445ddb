package io.github.dartrl.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.io.UntrustedJson;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.lora.PeftAdapterFormat;
import io.github.dartrl.core.lora.PeftWeights;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.text.Detokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a plain PEFT LoRA directory ({@code adapter_config.json} + {@code
 * adapter_model.safetensors}, no {@code dart.json}) as the adapters of a policy: the one adapter of
 * {@link Method#LORA}, or the initial value of every adapter of a multi-adapter method (DART's
 * reasoning and tool adapters then start equal and diverge in training). Rank, alpha, rsLoRA and
 * target modules come from the adapter; method, spans, isolation and seed from the {@link
 * PolicyConfig}.
 */
final class PeftImport {
  private PeftImport() {}

  static Policy load(
      DecoderModel model,
      Path peftDir,
      PolicyConfig config,
      Detokenizer detok,
      NonFiniteWeights nonFinite,
      BaseModelCheck baseModelCheck) {
    int count = config.adapterCount();
    if (count == 0) {
      throw new IllegalArgumentException(
          config.method() + " has no adapters to initialise from " + peftDir);
    }
    Path weights = peftDir.resolve(PeftAdapterFormat.WEIGHTS_FILE);
    if (!Files.isRegularFile(weights)) {
      throw new ModelFormatException(
          weights,
          null,
          Files.isRegularFile(peftDir.resolve("adapter_model.bin"))
              ? "only safetensors adapters are read; found adapter_model.bin (a pickle): re-save"
                  + " it with PEFT's save_pretrained(safe_serialization=True)"
              : "adapter weights not found");
    }
    LoraConfig read = PeftAdapterFormat.readConfig(peftDir, "default");
    checkBaseModel(peftDir, model, baseModelCheck);
    List<LoraConfig> configs = new ArrayList<>();
    for (LoraConfig wanted : config.adapterConfigs()) {
      configs.add(
          new LoraConfig(
              wanted.name(), read.rank(), read.alpha(), read.rsLora(), read.targetModules()));
    }
    PolicyConfig pc =
        new PolicyConfig(
            config.method(),
            read.rank(),
            read.alpha(),
            read.rsLora(),
            read.targetModules(),
            config.spans(),
            config.isolation(),
            config.seed(),
            config.toolAdapters());
    LoraAdapters adapters = LoraAdapters.attach(model, configs, config.seed());
    try {
      for (int i = 0; i < count; i++) {
        PeftWeights.load(adapters, i, weights, nonFinite);
      }
    } catch (RuntimeException e) {
      adapters.close();
      throw e;
    }
    return Policy.wrap(model, pc, adapters, detok);
  }

  /**
   * PEFT records the base model in {@code base_model_name_or_path}; check it like dart.json's
   * {@code base_model} when it is there (third-party adapters often leave it null).
   */
  private static void checkBaseModel(Path peftDir, DecoderModel model, BaseModelCheck check) {
    Path file = peftDir.resolve(PeftAdapterFormat.CONFIG_FILE);
    JsonNode name;
    try {
      name = UntrustedJson.newMapper().readTree(file.toFile()).get("base_model_name_or_path");
    } catch (IOException e) {
      throw new ModelFormatException(file, null, "cannot read: " + e.getMessage(), e);
    }
    if (name != null && name.isTextual() && !name.asText().isBlank()) {
      check.check(file, name, model);
    }
  }
}
