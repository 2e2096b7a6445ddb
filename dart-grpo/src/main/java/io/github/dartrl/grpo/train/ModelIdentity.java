package io.github.dartrl.grpo.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Which base model a run trains, recorded in its checkpoints so that a resume on another model is
 * refused: the model directory's absolute path and a cheap fingerprint of its content, the SHA-256
 * of {@code config.json} and the size of every weight file ({@code *.safetensors}, {@code *.bin},
 * {@code *.index.json}). Hashing the weights themselves would read gigabytes on every start; a
 * model with the same config and the same file sizes but other weights is not detected.
 *
 * @param path the model directory, absolute
 * @param configSha256 hex SHA-256 of its {@code config.json}
 * @param weightFiles weight file name to size in bytes, sorted by name
 */
public record ModelIdentity(String path, String configSha256, Map<String, Long> weightFiles) {

  /** Copies the map (sorted). */
  public ModelIdentity {
    weightFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(weightFiles));
  }

  /**
   * Fingerprints an HF model directory.
   *
   * @throws IllegalArgumentException if it has no {@code config.json}
   * @throws UncheckedIOException if it cannot be read
   */
  public static ModelIdentity of(Path modelDir) {
    Path config = modelDir.resolve("config.json");
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException(
          modelDir + " is not an HF model directory (no config.json)");
    }
    Map<String, Long> sizes = new TreeMap<>();
    try (Stream<Path> files = Files.list(modelDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".safetensors")
            || name.endsWith(".bin")
            || name.endsWith(".index.json")) {
          sizes.put(name, Files.size(f));
        }
      }
      return new ModelIdentity(
          modelDir.toAbsolutePath().normalize().toString(),
          CheckpointManifest.sha256(config),
          sizes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model directory " + modelDir, e);
    }
  }

  /** Same config and weight file sizes (the path may differ: a model directory can be moved). */
  public boolean sameContent(ModelIdentity other) {
    return configSha256.equals(other.configSha256) && weightFiles.equals(other.weightFiles);
  }

  /** For messages: the path, the start of the config hash and the weight files with sizes. */
  public String describe() {
    return path
        + " (config.json sha256 "
        + configSha256.substring(0, Math.min(12, configSha256.length()))
        + "…, weights "
        + weightFiles
        + ")";
  }
}
