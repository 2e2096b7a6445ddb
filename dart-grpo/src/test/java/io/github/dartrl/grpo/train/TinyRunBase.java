package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests on {@link TinyRun}'s model: written once per class into {@code modelDir}, with
 * one root manager, one loaded backbone and its tokenizer shared by the class's tests (a test that
 * trains FULL loads its own copy) and closed after them.
 */
abstract class TinyRunBase {
  @TempDir static Path modelDir;
  static NDManager root;
  static DecoderModel model;
  static TextTokenizer tok;

  @BeforeAll
  static void createTinyRun() {
    TinyRun.createModel(modelDir);
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(modelDir, root);
    tok = TextTokenizer.load(modelDir);
  }

  @AfterAll
  static void closeTinyRun() {
    tok.close();
    model.close();
    root.close();
  }
}
