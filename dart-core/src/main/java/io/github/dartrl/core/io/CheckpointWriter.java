package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The implementation of {@link HfWeights#save}: sharding plan, staging and commit order. */
final class CheckpointWriter {
  /** Written into every file: older {@code transformers} versions refuse files without it. */
  private static final Map<String, String> FILE_METADATA = Map.of("format", "pt");

  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckpointWriter() {}

  static void save(
      Path modelDir, Map<String, NDArray> tensors, SafetensorsDType storeAs, long maxShardBytes) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, found " + maxShardBytes);
    }
    List<List<String>> plan = plan(tensors, storeAs, maxShardBytes); // validates types first
    try {
      Files.createDirectories(modelDir);
      Set<String> oldShards = oldShards(modelDir);
      Path staging = Files.createTempDirectory(modelDir, ".dart4j-save-");
      try {
        if (plan.size() == 1) {
          stage(staging, HfWeights.SINGLE_FILE, tensors, plan.get(0), storeAs);
          commitSingle(modelDir, staging, oldShards);
        } else {
          Map<String, String> weightMap = new LinkedHashMap<>();
          List<String> shardNames = new ArrayList<>();
          long total = 0;
          for (int i = 0; i < plan.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, plan.size());
            total += stage(staging, name, tensors, plan.get(i), storeAs);
            shardNames.add(name);
            plan.get(i).forEach(t -> weightMap.put(t, name));
          }
          writeIndex(staging.resolve(HfWeights.INDEX_FILE), total, weightMap);
          commitSharded(modelDir, staging, shardNames, oldShards);
        }
      } finally {
        deleteTree(staging);
      }
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot save weights to " + modelDir, e);
    }
  }

  /** Greedy in insertion order, as HF does: a new shard starts when the next tensor overflows. */
  static List<List<String>> plan(
      Map<String, NDArray> tensors, SafetensorsDType storeAs, long maxShardBytes) {
    List<List<String>> shards = new ArrayList<>();
    List<String> current = new ArrayList<>();
    long size = 0;
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      SafetensorsDType as =
          SafetensorsWriter.storedType(e.getKey(), e.getValue().getDataType(), storeAs);
      long bytes = Math.multiplyExact(e.getValue().size(), (long) as.byteSize());
      if (!current.isEmpty() && size + bytes > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(e.getKey());
      size += bytes;
    }
    shards.add(current); // an empty model still gets one (empty) file
    return shards;
  }

  /** Writes one file into the staging directory; returns its data size. */
  private static long stage(
      Path staging,
      String fileName,
      Map<String, NDArray> tensors,
      List<String> names,
      SafetensorsDType storeAs) {
    Map<String, NDArray> subset = new LinkedHashMap<>();
    long bytes = 0;
    for (String n : names) {
      NDArray a = tensors.get(n);
      subset.put(n, a);
      bytes += a.size() * SafetensorsWriter.storedType(n, a.getDataType(), storeAs).byteSize();
    }
    SafetensorsWriter.write(staging.resolve(fileName), subset, FILE_METADATA, storeAs);
    return bytes;
  }

  private static void writeIndex(Path file, long totalSize, Map<String, String> weightMap) {
    ObjectNode root = PRETTY.createObjectNode();
    root.putObject("metadata").put("total_size", totalSize);
    ObjectNode map = root.putObject("weight_map");
    weightMap.forEach(map::put);
    byte[] json;
    try {
      json = PRETTY.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AtomicFiles.writeChannel(
        file,
        ch -> {
          ByteBuffer buf = ByteBuffer.wrap(json);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        });
  }

  /** The new single file replaces the entry point in one rename, then stale files go. */
  private static void commitSingle(Path dir, Path staging, Set<String> oldShards)
      throws IOException {
    AtomicFiles.move(staging.resolve(HfWeights.SINGLE_FILE), dir.resolve(HfWeights.SINGLE_FILE));
    AtomicFiles.fsyncDirectory(dir);
    Files.deleteIfExists(dir.resolve(HfWeights.INDEX_FILE));
    for (String s : oldShards) {
      if (!s.equals(HfWeights.SINGLE_FILE)) { // a (strange) old index may name it as a shard
        Files.deleteIfExists(dir.resolve(s));
      }
    }
    AtomicFiles.fsyncDirectory(dir);
  }

  /**
   * Removes the old entry points first (the directory then looks incomplete, never mixed), moves
   * the shards in, and the index last: once the index exists, every shard it names is complete.
   */
  private static void commitSharded(
      Path dir, Path staging, List<String> shardNames, Set<String> oldShards) throws IOException {
    Files.deleteIfExists(dir.resolve(HfWeights.INDEX_FILE));
    Files.deleteIfExists(dir.resolve(HfWeights.SINGLE_FILE));
    AtomicFiles.fsyncDirectory(dir);
    for (String s : shardNames) {
      AtomicFiles.move(staging.resolve(s), dir.resolve(s));
    }
    AtomicFiles.fsyncDirectory(dir);
    AtomicFiles.move(staging.resolve(HfWeights.INDEX_FILE), dir.resolve(HfWeights.INDEX_FILE));
    AtomicFiles.fsyncDirectory(dir);
    for (String s : oldShards) {
      if (!shardNames.contains(s) && !s.equals(HfWeights.INDEX_FILE)) {
        Files.deleteIfExists(dir.resolve(s));
      }
    }
  }

  /**
   * The shard names of the index currently in {@code dir}, validated to lie inside it, so they can
   * be deleted safely; empty if there is no readable index (unknown files are never deleted).
   */
  private static Set<String> oldShards(Path dir) {
    Path index = dir.resolve(HfWeights.INDEX_FILE);
    if (!Files.isRegularFile(index)) {
      return Set.of();
    }
    try {
      return new LinkedHashSet<>(HfWeights.readWeightMap(index, dir).values());
    } catch (ModelFormatException | UncheckedIOException e) {
      return Set.of();
    }
  }

  private static void deleteTree(Path root) {
    try {
      FileTrees.deleteTree(root);
    } catch (IOException ignored) {
      // best effort: a leftover hidden staging directory is harmless
    }
  }
}
