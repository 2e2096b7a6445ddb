package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads and writes the weights of a Hugging Face model directory: either one {@code
 * model.safetensors}, or shards ({@code model-00001-of-00003.safetensors}, ...) listed by {@code
 * model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard}}}).
 *
 * <p>Like {@code transformers}, a directory holding both prefers {@code model.safetensors}. The
 * index and the shards are cross-checked when opening: a shard outside the directory, a missing
 * shard, a tensor the index promises but the shard lacks, or a shard tensor the index does not list
 * are all {@link ModelFormatException}s. Shard names are checked lexically; symbolic links (as in
 * the HF hub cache, whose snapshot files link into a blob store) are followed.
 */
public final class HfWeights {
  /** The single-file weights name. */
  public static final String SINGLE_FILE = "model.safetensors";

  /** The shard index name. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private HfWeights() {}

  /**
   * Opens the weights of a model directory.
   *
   * @param modelDir a directory with {@code model.safetensors} or {@code
   *     model.safetensors.index.json} and its shards
   * @return the tensors; close to release the files
   * @throws ModelFormatException if the directory, index or any file is missing or malformed
   */
  public static WeightSource open(Path modelDir) {
    Path single = modelDir.resolve(SINGLE_FILE);
    Path index = modelDir.resolve(INDEX_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile f = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
      f.tensors().forEach(t -> byTensor.put(t.name(), f));
      return new OpenWeights(modelDir, byTensor, List.of(f));
    }
    if (Files.isRegularFile(index)) {
      return openSharded(modelDir, index);
    }
    List<String> pickles = pickleFiles(modelDir);
    if (!pickles.isEmpty()) {
      throw new ModelFormatException(
          modelDir,
          null,
          "expected "
              + SINGLE_FILE
              + " or "
              + INDEX_FILE
              + ", found only PyTorch pickle/TorchScript weights "
              + pickles
              + ". dart4j never loads those: unpickling runs code stored in the file. Convert the"
              + " checkpoint to safetensors first, e.g. in Python: AutoModelForCausalLM"
              + ".from_pretrained(dir).save_pretrained(dir, safe_serialization=True)");
    }
    throw new ModelFormatException(
        modelDir,
        null,
        Files.isDirectory(modelDir)
            ? "expected "
                + SINGLE_FILE
                + " or "
                + INDEX_FILE
                + " in the model directory, found neither"
            : "expected a model directory, found none");
  }

  /** File-name endings of PyTorch pickle and TorchScript weights, which are never loaded. */
  static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl");

  /** The names of pickle/TorchScript weight files in {@code dir} (at most 20), sorted. */
  private static List<String> pickleFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(
              n -> PICKLE_SUFFIXES.stream().anyMatch(s -> n.toLowerCase(Locale.ROOT).endsWith(s)))
          .sorted()
          .limit(20)
          .toList();
    } catch (IOException e) {
      return List.of(); // the generic "found neither" message still applies
    }
  }

  /**
   * Writes {@code tensors} to a model directory: one {@code model.safetensors} if the tensors fit
   * in {@code maxShardBytes}, otherwise shards of at most that size (a larger single tensor gets a
   * shard of its own) plus {@code model.safetensors.index.json}.
   *
   * <p>All files are first written to a hidden staging directory inside {@code modelDir}; then the
   * old entry points are removed, the new shards moved in, and the index moved in last, so a crash
   * never leaves a set that looks complete but mixes old and new files. Shards of a previous save
   * that the new set does not reuse are deleted; other files are left alone. A crash mid-save can
   * leave a hidden {@code .dart4j-save-*} staging directory behind, which is safe to delete.
   *
   * @param modelDir the model directory (created if absent)
   * @param tensors HF name to array, in the order to write
   * @param storeAs the stored type, as for {@link SafetensorsWriter#write}
   * @param maxShardBytes the largest data size of one file, in bytes (HF's default is 5 GB)
   * @throws IllegalArgumentException for unsupported types or a non-positive shard size
   * @throws java.io.UncheckedIOException on I/O failure
   */
  public static void save(
      Path modelDir, Map<String, NDArray> tensors, SafetensorsDType storeAs, long maxShardBytes) {
    CheckpointWriter.save(modelDir, tensors, storeAs, maxShardBytes);
  }

  private static WeightSource openSharded(Path dir, Path index) {
    Map<String, String> weightMap = readWeightMap(index, dir);
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        if (!shards.containsKey(e.getValue())) {
          Path shard = dir.resolve(e.getValue());
          if (!Files.isRegularFile(shard)) {
            throw new ModelFormatException(
                index,
                e.getKey(),
                "expected shard '" + e.getValue() + "' to exist in " + dir + ", found none");
          }
          shards.put(e.getValue(), SafetensorsFile.open(shard));
        }
      }
      Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        SafetensorsFile shard = shards.get(e.getValue());
        if (shard.find(e.getKey()).isEmpty()) {
          throw new ModelFormatException(
              shard.path(),
              e.getKey(),
              "expected this tensor, as " + INDEX_FILE + " lists it in this shard, found none");
        }
        byTensor.put(e.getKey(), shard);
      }
      for (Map.Entry<String, SafetensorsFile> s : shards.entrySet()) {
        for (TensorInfo t : s.getValue().tensors()) {
          if (!s.getKey().equals(weightMap.get(t.name()))) {
            throw new ModelFormatException(
                s.getValue().path(),
                t.name(),
                "expected every tensor of the shard to be listed in "
                    + INDEX_FILE
                    + " for this shard, found it listed for "
                    + (weightMap.containsKey(t.name())
                        ? "'" + weightMap.get(t.name()) + "'"
                        : "no shard"));
          }
        }
      }
      return new OpenWeights(dir, byTensor, new ArrayList<>(shards.values()));
    } catch (RuntimeException | Error e) {
      OpenWeights.closeAll(new ArrayList<>(shards.values()), e);
      throw e;
    }
  }

  /** Parses the index and validates every shard name; returns tensor to shard, in index order. */
  static Map<String, String> readWeightMap(Path index, Path dir) {
    byte[] bytes;
    try {
      if (Files.size(index) > SafetensorsFile.MAX_HEADER_BYTES) {
        throw new ModelFormatException(
            index,
            null,
            "expected an index of at most "
                + SafetensorsFile.MAX_HEADER_BYTES
                + " bytes, found "
                + Files.size(index));
      }
      bytes = Files.readAllBytes(index);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index, e);
    }
    JsonNode root = Json.parseObject(bytes, index, "index");
    JsonNode metadata = root.get("metadata");
    if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
      throw new ModelFormatException(
          index, "metadata", "expected an object, found " + Json.describe(metadata));
    }
    JsonNode map = root.path("weight_map");
    if (!map.isObject()) {
      throw new ModelFormatException(
          index,
          "weight_map",
          "expected an object mapping tensor names to shard files, found " + Json.describe(map));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      if (!e.getValue().isTextual()) {
        throw new ModelFormatException(
            index, e.getKey(), "expected a shard file name, found " + Json.describe(e.getValue()));
      }
      checkShardName(index, e.getKey(), e.getValue().textValue(), dir);
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** Rejects shard names that are absolute or resolve outside the model directory. */
  static void checkShardName(Path index, String tensor, String shard, Path dir) {
    boolean ok;
    try {
      Path p = Path.of(shard);
      Path base = dir.toAbsolutePath().normalize();
      Path resolved = base.resolve(p).normalize();
      ok =
          !shard.isEmpty()
              && !p.isAbsolute()
              && resolved.startsWith(base)
              && !resolved.equals(base);
    } catch (InvalidPathException e) {
      ok = false;
    }
    if (!ok) {
      throw new ModelFormatException(
          index,
          tensor,
          "expected a shard file name inside the model directory, found '" + shard + "'");
    }
  }
}
