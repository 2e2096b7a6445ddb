package io.github.dartrl.grpo.rollout;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Base of the test classes that share one loaded tiny model: a subclass writes its model in its own
 * {@code @BeforeAll} and calls {@link #load}; one root manager, the backbone and its tokenizer then
 * serve the class's tests and are closed after them. (The fields are shared by every subclass: test
 * classes run one after another.)
 */
public abstract class LoadedModelBase {
  protected static NDManager root;
  protected static DecoderModel model;
  protected static TextTokenizer tok;

  /** Loads the model written in {@code dir} into {@link #root}, {@link #model} and {@link #tok}. */
  protected static void load(Path dir) {
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(dir, root);
    tok = TextTokenizer.load(dir);
  }

  @AfterAll
  protected static void closeLoadedModel() {
    tok.close();
    model.close();
    root.close();
  }
}
