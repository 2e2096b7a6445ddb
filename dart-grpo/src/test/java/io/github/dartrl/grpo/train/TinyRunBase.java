package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.rollout.LoadedModelBase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests on {@link TinyRun}'s model: written once per class into {@code modelDir}, with
 * one root manager, one loaded backbone and its tokenizer shared by the class's tests (a test that
 * trains FULL loads its own copy) and closed after them.
 */
abstract class TinyRunBase extends LoadedModelBase {
  @TempDir static Path modelDir;

  @BeforeAll
  static void createTinyRun() {
    TinyRun.createModel(modelDir);
    load(modelDir);
  }
}
