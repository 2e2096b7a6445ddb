package io.github.dartrl.leas;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run on {@link LeasFixtures#createTiny}'s model: written once per class,
 * loaded fresh (model, tokenizer, root manager) for every test and closed after it.
 */
public abstract class TinyModelBase {
  /** The tiny model's directory. */
  @TempDir protected static Path dir;

  protected NDManager root;
  protected DecoderModel model;
  protected TextTokenizer tok;

  @BeforeAll
  static void createTinyModel() {
    LeasFixtures.createTiny(dir, 4);
  }

  @BeforeEach
  void loadTinyModel() {
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(dir, root);
    tok = TextTokenizer.load(dir);
  }

  @AfterEach
  void closeTinyModel() {
    tok.close();
    model.close();
    root.close();
  }
}
