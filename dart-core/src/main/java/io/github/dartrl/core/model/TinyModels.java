package io.github.dartrl.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.IoErrors;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.text.AtomicTokens;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Creates randomly initialised Qwen2-architecture models with a word-level tokenizer, saved as HF
 * directories ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}, {@code
 * tokenizer_config.json}, {@code generation_config.json}) so every downstream tool treats them like
 * a real checkpoint. The Search-R1 tags are atomic tokens of the vocabulary.
 */
public final class TinyModels {
  private TinyModels() {}

  /**
   * Architecture sizes.
   *
   * @param hidden d
   * @param layers decoder layers
   * @param heads query heads
   * @param kvHeads key/value heads
   * @param intermediate MLP width
   * @param maxPositions context length
   */
  public record Size(
      int hidden, int layers, int heads, int kvHeads, int intermediate, int maxPositions) {
    public Size {
      positive("hidden", hidden);
      positive("layers", layers);
      positive("heads", heads);
      positive("kvHeads", kvHeads);
      positive("intermediate", intermediate);
      positive("maxPositions", maxPositions);
      if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
        throw new IllegalArgumentException(
            "hidden must be a multiple of heads with an even quotient (the head dim), got hidden "
                + hidden
                + " and heads "
                + heads);
      }
      if (heads % kvHeads != 0) {
        throw new IllegalArgumentException(
            "heads must be a multiple of kvHeads, got heads " + heads + " and kvHeads " + kvHeads);
      }
    }

    private static void positive(String field, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(field + " must be > 0, got " + value);
      }
    }

    /** For unit tests: d=32, 2 layers. */
    public static Size test() {
      return new Size(32, 2, 4, 2, 64, 256);
    }

    /**
     * For the bundled world: d=128, 4 layers, 4 heads / 2 KV heads, MLP 384 (~1 M + embeddings).
     */
    public static Size world() {
      return new Size(128, 4, 4, 2, 384, 1024);
    }
  }

  /**
   * Writes a word-level tokenizer over {@code words} (plus special tokens and the Search-R1 tags)
   * and a random model of {@code size} into {@code dir}; returns the model config.
   */
  public static ModelConfig create(Path dir, List<String> words, Size size, long seed) {
    return create(dir, words, size, seed, List.of());
  }

  /**
   * As {@link #create(Path, List, Size, long)}, with {@code extraTags} (e.g. {@code <sql>}, {@code
   * </sql>}) atomic after the Search-R1 tags. With none, the files are those of the four-argument
   * form, byte for byte; each extra tag adds a vocabulary row, so the random weights differ.
   */
  public static ModelConfig create(
      Path dir, List<String> words, Size size, long seed, List<String> extraTags) {
    List<String> tags = new java.util.ArrayList<>(AtomicTokens.SEARCH_R1_TAGS);
    tags.addAll(extraTags);
    try {
      Files.createDirectories(dir);
      WordLevelTokenizerWriter.write(
          dir.resolve("tokenizer.json"),
          words,
          WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
          WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
          WordLevelTokenizerWriter.Options.defaults().withTags(tags));
      int vocab;
      long[] eos;
      try (TextTokenizer tok = TextTokenizer.load(dir)) {
        vocab = tok.vocabSize();
        eos = tok.eosTokenIds();
      }
      ModelConfig config =
          ModelConfig.qwen2(
                  vocab,
                  size.hidden(),
                  size.layers(),
                  size.heads(),
                  size.kvHeads(),
                  size.intermediate(),
                  size.maxPositions())
              .withSpecialTokens(-1, Arrays.stream(eos).boxed().toList());
      // on the CPU wherever it runs: the same seed gives the same weights on every machine
      try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
          DecoderModel model = DecoderModel.randomInit(config, seed, root)) {
        HfCheckpoint.save(model, dir, SafetensorsDType.F32);
      }
      var gen = new ObjectMapper().createObjectNode();
      var ids = gen.putArray("eos_token_id");
      Arrays.stream(eos).forEach(ids::add);
      new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve("generation_config.json").toFile(), gen);
      return config;
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot create tiny model in " + dir, e);
    }
  }
}
