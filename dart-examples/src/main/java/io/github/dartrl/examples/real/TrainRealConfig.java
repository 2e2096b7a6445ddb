package io.github.dartrl.examples.real;

import io.github.dartrl.core.model.MemoryOptions;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.compare.CompareMethod;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything a {@code train-real} run is configured by.
 *
 * @param model an HF model directory (config.json, safetensors, tokenizer.json), e.g. Qwen2.5-3B
 * @param train the training set, FlashRAG/Search-R1 JSONL ({@code question}, {@code
 *     golden_answers}, optional {@code data_source})
 * @param test the test set in the same format, or null to skip the final evaluation
 * @param retriever the search tool's passages
 * @param method DART, LORA, FULL or TWO_AGENT
 * @param dart the DART adapters' settings (LORA gets one adapter of twice the rank and alpha)
 * @param grpo the GRPO run (the paper's defaults unless overridden)
 * @param fullLrRatio learning rate of FULL / TWO_AGENT relative to {@code grpo.learningRate()}
 * @param template the prompt (Search-R1's full instruction, raw or as a ChatML turn)
 * @param reward the reward name ({@link RewardFunctions#NAMES})
 * @param evalLimit evaluate on the first this many test questions (0 = all)
 * @param out the output directory
 * @param resume continue from the latest checkpoint in {@code out/grpo}
 * @param initAdapters a plain PEFT LoRA directory every adapter (DART's two, or LORA's one) starts
 *     from instead of fresh adapters, or null; its rank and alpha replace {@code dart}'s
 * @param memory gradient checkpointing and the backbone's storage (null: the defaults)
 */
public record TrainRealConfig(
    Path model,
    Path train,
    Path test,
    RetrieverSource retriever,
    CompareMethod method,
    PolicyConfig dart,
    GrpoConfig grpo,
    double fullLrRatio,
    PromptTemplate template,
    String reward,
    int evalLimit,
    Path out,
    boolean resume,
    Path initAdapters,
    MemoryOptions memory) {

  /** Validates the required parts. */
  public TrainRealConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(retriever, "retriever");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(dart, "dart");
    Objects.requireNonNull(grpo, "grpo");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(out, "out");
    memory = memory == null ? MemoryOptions.defaults() : memory;
    if (!(fullLrRatio > 0 && fullLrRatio <= 1)) {
      throw new IllegalArgumentException("fullLrRatio must be in (0, 1], got " + fullLrRatio);
    }
    if (!RewardFunctions.NAMES.contains(reward)) {
      throw new IllegalArgumentException(
          "reward must be one of " + RewardFunctions.NAMES + ", got " + reward);
    }
    if (initAdapters != null && method != CompareMethod.DART && method != CompareMethod.LORA) {
      throw new IllegalArgumentException(
          "initial adapters need --method DART or LORA; " + method + " trains no adapters");
    }
    if (evalLimit < 0) {
      throw new IllegalArgumentException("evalLimit must be >= 0 (0 = all), got " + evalLimit);
    }
  }

  /** The GRPO config this method trains with (FULL / TWO_AGENT at the lower learning rate). */
  public GrpoConfig methodGrpo() {
    return grpo.toBuilder()
        .learningRate(method.learningRate(grpo.learningRate(), fullLrRatio))
        .build();
  }
}
