package io.github.dartrl.examples.compare;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The models one compared method trains, loaded from the warm start: one policy, or two (reasoner
 * and tool agent) for 2-Agent; closed together.
 */
final class MethodModels implements AutoCloseable {
  private static final List<String> TOKENIZER_FILES =
      List.of("tokenizer.json", "tokenizer_config.json", "generation_config.json");

  private final NDManager root;
  final TextTokenizer tokenizer;
  private final CompareMethod method;
  private DecoderModel model;
  private DecoderModel second;
  Policy policy;
  Policy tool;

  private MethodModels(NDManager root, TextTokenizer tokenizer, CompareMethod method) {
    this.root = root;
    this.tokenizer = tokenizer;
    this.method = method;
  }

  static MethodModels load(Start warm, CompareMethod method, PolicyConfig dart) {
    NDManager root = JobDevice.newRoot();
    MethodModels m = new MethodModels(root, TextTokenizer.load(warm.warmModel()), method);
    try {
      m.model = HfCheckpoint.load(warm.warmModel(), root);
      m.policy = Policy.create(m.model, method.policy(dart), m.tokenizer);
      if (method.needsToolAgent()) {
        m.second = HfCheckpoint.load(warm.warmModel(), root);
        m.tool = Policy.create(m.second, method.policy(dart), m.tokenizer);
      }
      return m;
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  long trainableParameters() {
    long n = count(policy);
    return tool == null ? n : n + count(tool);
  }

  private static long count(Policy p) {
    return p.trainableParameters().values().stream().mapToLong(NDArray::size).sum();
  }

  /** Saves the trained adapters (PEFT) or models (HF) under {@code dir}; returns where. */
  Path save(Path dir, Path warmModel) throws IOException {
    switch (method) {
      case DART, LORA -> {
        Path to = dir.resolve("adapters");
        PolicyCheckpoint.save(policy, to, warmModel.toAbsolutePath().toString());
        return to;
      }
      case FULL -> {
        Path to = dir.resolve("model");
        saveModel(model, to, warmModel);
        return to;
      }
      case TWO_AGENT -> {
        saveModel(model, dir.resolve("reasoner"), warmModel);
        saveModel(second, dir.resolve("tool"), warmModel);
        return dir;
      }
      default -> throw new IllegalStateException(method.name());
    }
  }

  private static void saveModel(DecoderModel m, Path to, Path warmModel) throws IOException {
    HfCheckpoint.save(m, to, SafetensorsDType.F32);
    for (String f : TOKENIZER_FILES) {
      Files.copy(warmModel.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void close() {
    if (tool != null) {
      tool.close();
    }
    if (policy != null) {
      policy.close();
    }
    if (second != null) {
      second.close();
    }
    if (model != null) {
      model.close();
    }
    tokenizer.close();
    root.close();
  }
}
