package io.github.dartrl.core.faults;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * Good inputs built once per suite run, copied into each case's workspace and then broken there: a
 * d=32, 2-layer Qwen2-architecture model directory and DART adapters (reasoning + tool, rank 8)
 * saved for it.
 *
 * @param model the model directory (config.json, model.safetensors, tokenizer.json, ...)
 * @param adapters the adapter directory (dart.json, reasoning/, tool/)
 */
public record Fixtures(Path model, Path adapters) {

  public static final List<String> WORDS =
      List.of("the", "capital", "of", "france", "is", "paris", "who", "wrote", "answer", ".");

  public static Fixtures build(Path dir) {
    Path model = dir.resolve("model");
    Path adapters = dir.resolve("adapters");
    TinyModels.create(model, WORDS, TinyModels.Size.test(), 7);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = HfCheckpoint.load(model, root);
        TextTokenizer tok = TextTokenizer.load(model);
        Policy dart = Policy.create(m, PolicyConfig.dart(), tok)) {
      PolicyCheckpoint.save(dart, adapters);
    }
    return new Fixtures(model, adapters);
  }
}
