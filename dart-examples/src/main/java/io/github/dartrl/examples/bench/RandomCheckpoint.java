package io.github.dartrl.examples.bench;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.model.ModelType;
import io.github.dartrl.core.model.RopeScaling;
import io.github.dartrl.core.text.AtomicTokens;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a random checkpoint of a real model's shape as the hub ships it: {@code config.json}, bf16
 * safetensors in two shards with {@code model.safetensors.index.json}, and a word-level tokenizer
 * whose vocabulary (synthetic words, the special tokens and the Search-R1 tags) fills the embedding
 * up to a few unused rows, as Qwen's does. Streams the weights (one 4 MB buffer), so a
 * 1.5B-parameter checkpoint needs no memory of its size. Weights are uniform with HF's init std
 * 0.02, norms 1, biases 0; deterministic for a seed.
 */
final class RandomCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RandomCheckpoint() {}

  /** Qwen2.5-0.5B's shape: 24 layers, d 896, 14/2 heads, MLP 4864, vocabulary 151,936, tied. */
  static ModelConfig qwen25_05b() {
    return shape(151_936, 896, 24, 14, 2, 4864);
  }

  /** Qwen2.5-1.5B's shape: 28 layers, d 1536, 12/2 heads, MLP 8960, vocabulary 151,936, tied. */
  static ModelConfig qwen25_15b() {
    return shape(151_936, 1536, 28, 12, 2, 8960);
  }

  /** A small shape with the same structure, for the smoke run. */
  static ModelConfig quick() {
    return shape(4096, 64, 2, 4, 2, 128);
  }

  private static ModelConfig shape(int vocab, int d, int layers, int heads, int kv, int mlp) {
    return new ModelConfig(
        ModelType.QWEN2,
        vocab,
        d,
        mlp,
        layers,
        heads,
        kv,
        d / heads,
        1e-6,
        1_000_000.0,
        RopeScaling.none(),
        32_768,
        true,
        true,
        false,
        false,
        "bfloat16",
        -1,
        List.of());
  }

  /** Writes the checkpoint into {@code dir} (created; must be empty) and returns its config. */
  static ModelConfig write(Path dir, ModelConfig shape, long seed) throws IOException {
    Files.createDirectories(dir);
    List<String> tags = AtomicTokens.SEARCH_R1_TAGS;
    int specials = WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS.size();
    // every row has a token: a random model samples any id, which the tokenizer must decode
    int words = shape.vocabSize() - specials - tags.size();
    List<String> vocabulary = new ArrayList<>(words);
    for (int i = 0; i < words; i++) {
      vocabulary.add("w" + i);
    }
    WordLevelTokenizerWriter.write(
        dir.resolve("tokenizer.json"),
        vocabulary,
        WordLevelTokenizerWriter.DEFAULT_SPECIAL_TOKENS,
        WordLevelTokenizerWriter.DEFAULT_UNK_TOKEN,
        WordLevelTokenizerWriter.Options.defaults().withTags(tags).withModelMaxLength(32_768));
    long[] eos;
    try (TextTokenizer tok = TextTokenizer.load(dir)) {
      eos = tok.eosTokenIds();
    }
    ModelConfig config = shape.withSpecialTokens(-1, Arrays.stream(eos).boxed().toList());
    config.write(dir);
    writeWeights(dir, HfNames.expectedShapes(config), seed);
    return config;
  }

  /** Two bf16 shards split at half the bytes, and their index. */
  private static void writeWeights(Path dir, Map<String, Shape> shapes, long seed)
      throws IOException {
    long total = shapes.values().stream().mapToLong(s -> s.size() * 2).sum();
    List<Map<String, Shape>> shards = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
    long first = 0;
    for (Map.Entry<String, Shape> e : shapes.entrySet()) {
      boolean inFirst = first < total / 2 && shards.get(1).isEmpty();
      if (inFirst) {
        first += e.getValue().size() * 2;
      }
      shards.get(inFirst ? 0 : 1).put(e.getKey(), e.getValue());
    }
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    ObjectNode map = index.putObject("weight_map");
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      writeShard(dir.resolve(name), shards.get(i), seed);
      shards.get(i).keySet().forEach(t -> map.put(t, name));
    }
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
  }

  private static void writeShard(Path file, Map<String, Shape> tensors, long seed)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Shape> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "BF16");
      var shape = t.putArray("shape");
      for (long d : e.getValue().getShape()) {
        shape.add(d);
      }
      long bytes = e.getValue().size() * 2;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8; // the data starts 8-byte aligned, as HF writes it
    byte[] head = Arrays.copyOf(json, padded);
    Arrays.fill(head, json.length, padded, (byte) ' ');
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.LITTLE_ENDIAN);
      buf.putLong(padded).put(head);
      for (Map.Entry<String, Shape> e : tensors.entrySet()) {
        String name = e.getKey();
        SplittableRandom rng = new SplittableRandom(seed * 31 + name.hashCode());
        float scale = (float) (0.02 * Math.sqrt(3)); // uniform with standard deviation 0.02
        boolean constant = name.endsWith("norm.weight") || name.endsWith(".bias");
        short fill = name.endsWith("norm.weight") ? bf16(1f) : 0;
        for (long i = 0, n = e.getValue().size(); i < n; i++) {
          if (buf.remaining() < 2) {
            drain(ch, buf);
          }
          buf.putShort(constant ? fill : bf16(scale * (2 * (float) rng.nextDouble() - 1)));
        }
      }
      drain(ch, buf);
    }
  }

  private static short bf16(float f) {
    return (short) (Float.floatToRawIntBits(f) >>> 16);
  }

  private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    buf.clear();
  }

  /** The bytes of the tensors in fp32: what the ratios divide by. */
  static long fp32Bytes(ModelConfig c) {
    return c.parameterCount() * 4;
  }

  static String describe(ModelConfig c) {
    return String.format(
        java.util.Locale.ROOT,
        "%d layers, d=%d, %d/%d heads, MLP %d, vocabulary %,d, tied, %,d parameters",
        c.numLayers(),
        c.hiddenSize(),
        c.numHeads(),
        c.numKvHeads(),
        c.intermediateSize(),
        c.vocabSize(),
        c.parameterCount());
  }
}
