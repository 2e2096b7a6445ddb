package io.github.dartrl.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every path under a directory, with each regular file's size, modification time and SHA-256.
 *
 * <p>Two snapshots are equal when no file or directory was created or deleted and no file's bytes
 * or modification time changed. Directory modification times are not compared: a writer that
 * creates a temporary file and removes it again after a failure leaves nothing behind, which is the
 * behaviour wanted.
 */
public record FileSnapshot(Map<String, String> entries) {

  public static FileSnapshot of(Path root) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          entries.put(rel + "/", "dir");
        } else {
          entries.put(
              rel,
              Files.size(p)
                  + " bytes, mtime "
                  + Files.getLastModifiedTime(p)
                  + ", sha256 "
                  + sha(p));
        }
      }
    }
    return new FileSnapshot(entries);
  }

  /**
   * Asserts that nothing under the root was written, overwritten or deleted since {@code before}.
   */
  public void assertUnchangedSince(FileSnapshot before) {
    assertThat(entries)
        .as("files under the workspace after the failure (nothing may be written or overwritten)")
        .containsExactlyEntriesOf(before.entries);
  }

  private static String sha(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
