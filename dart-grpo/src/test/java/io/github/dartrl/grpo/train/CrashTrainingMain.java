package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;

/**
 * The child JVM of {@link CrashSafetyTest}: trains {@link TinyRun} for {@code steps} steps with a
 * checkpoint after every step. The parent sets {@link CheckpointFaults} properties so that it
 * pauses half way through one checkpoint, and kills it there.
 *
 * <p>Arguments: model directory, run directory, steps.
 */
public final class CrashTrainingMain {
  private CrashTrainingMain() {}

  public static void main(String[] args) {
    Path modelDir = Path.of(args[0]);
    Path runDir = Path.of(args[1]);
    int steps = Integer.parseInt(args[2]);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir);
        Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(
                    p,
                    tok,
                    TinyRun.config().totalSteps(steps).build(),
                    runDir,
                    new TinyRun.ScriptedRetriever())
                .build()) {
      t.fit();
    }
  }
}
