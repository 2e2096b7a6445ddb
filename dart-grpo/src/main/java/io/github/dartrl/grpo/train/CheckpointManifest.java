package io.github.dartrl.grpo.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The size and SHA-256 of every file of a checkpoint, stored in its {@code trainer_state.json}
 * (which is written last). Resuming checks them, so a checkpoint damaged after it was written (a
 * torn file after a power loss, a truncated copy) fails with the name of the bad file instead of
 * silently training from wrong weights.
 */
final class CheckpointManifest {
  static final String FIELD = "files";

  private CheckpointManifest() {}

  /** Digests every regular file under {@code dir} except {@code exclude}, sorted by path. */
  static Map<String, Entry> of(Path dir, String exclude) throws IOException {
    Map<String, Entry> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> files = s.filter(Files::isRegularFile).toList();
      for (Path f : files) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        if (!rel.equals(exclude)) {
          out.put(rel, new Entry(Files.size(f), sha256(f)));
        }
      }
    }
    return out;
  }

  /** One file: its size in bytes and hex SHA-256. */
  record Entry(long size, String sha256) {}

  static void write(ObjectNode state, Map<String, Entry> files) {
    ObjectNode n = state.putObject(FIELD);
    files.forEach((k, e) -> n.putObject(k).put("size", e.size()).put("sha256", e.sha256()));
  }

  /**
   * Checks the files a state lists against {@code dir}.
   *
   * @return false if the state has no manifest (a checkpoint from before manifests existed)
   * @throws ModelFormatException naming the first missing, resized or altered file
   */
  static boolean verify(Path dir, Path stateFile, JsonNode state) {
    JsonNode files = state.get(FIELD);
    if (files == null || !files.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : files.properties()) {
      String name = e.getKey();
      Path f = dir.resolve(name).normalize();
      String field = FIELD + "." + name;
      if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
        throw new ModelFormatException(stateFile, field, "checkpoint file " + f + " is missing");
      }
      try {
        long size = Files.size(f);
        long expected = e.getValue().path("size").asLong(-1);
        if (size != expected) {
          throw new ModelFormatException(
              stateFile,
              field,
              "checkpoint file " + f + " has " + size + " bytes, expected " + expected);
        }
        if (!sha256(f).equals(e.getValue().path("sha256").asText())) {
          throw new ModelFormatException(
              stateFile, field, "checkpoint file " + f + " does not match its SHA-256");
        }
      } catch (IOException ex) {
        throw new ModelFormatException(
            stateFile, field, "cannot read checkpoint file " + f + ": " + ex.getMessage(), ex);
      }
    }
    return true;
  }

  static String sha256(Path f) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
