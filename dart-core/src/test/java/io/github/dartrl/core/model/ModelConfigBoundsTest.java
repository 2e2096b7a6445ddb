package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sizes in config.json are bounded (docs/formats.md) before anything is allocated, and token ids
 * are checked against vocab_size before the embedding lookup.
 */
class ModelConfigBoundsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @CsvSource({
    "num_hidden_layers, 10000000, 1024",
    "max_position_embeddings, 2147483647, 1048576",
    "vocab_size, 1000000000, 4194304",
    "hidden_size, 1048576, 65536",
    "intermediate_size, 100000000, 524288",
  })
  void hugeSizesFailNamingTheFieldAndTheBound(
      String field, long value, long bound, @TempDir Path dir) throws Exception {
    ObjectNode n = ModelConfig.tiny(16).toJson();
    n.put(field, value);
    Files.writeString(dir.resolve("config.json"), JSON.writeValueAsString(n));
    assertThatThrownBy(() -> ModelConfig.read(dir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining(field + " must be at most " + bound)
        .hasMessageContaining("got " + value);
  }

  @Test
  void realModelSizesAreWellInside() {
    // Qwen2.5-3B and a Llama-3.1-405B-like shape
    assertThat(ModelConfig.qwen2(151936, 2048, 36, 16, 2, 11008, 32768).numLayers()).isEqualTo(36);
    assertThat(ModelConfig.qwen2(128256, 16384, 126, 128, 8, 53248, 131072).hiddenSize())
        .isEqualTo(16384);
  }

  @Test
  void aTokenIdOutsideTheVocabularyIsNamedBeforeTheLookup() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = DecoderModel.randomInit(ModelConfig.tiny(16), 1, root);
        NDManager scope = m.newScope()) {
      assertThatThrownBy(() -> m.hidden(scope, TokenBatch.of(3, 16, 2), null, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token id 16 (row 0, position 1)")
          .hasMessageContaining("vocab_size is 16");
      assertThatThrownBy(() -> m.hidden(scope, TokenBatch.of(-1), null, null))
          .hasMessageContaining("token id -1");
    }
  }
}
