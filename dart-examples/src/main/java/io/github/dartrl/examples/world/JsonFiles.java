package io.github.dartrl.examples.world;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** JSON Lines and JSON files, each written atomically (temporary file + rename). */
final class JsonFiles {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFiles() {}

  /** One compact JSON object per line, {@code \n}-terminated, UTF-8. */
  static byte[] jsonLines(List<? extends JsonNode> rows) {
    StringBuilder sb = new StringBuilder();
    try {
      for (JsonNode row : rows) {
        sb.append(MAPPER.writeValueAsString(row)).append('\n');
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@link #jsonLines} of {@code rows} to {@code file} atomically. */
  static void writeLines(Path file, List<? extends JsonNode> rows) {
    writeAtomically(file, jsonLines(rows));
  }

  /**
   * Writes {@code bytes} through a temporary file in the same directory and a rename, so a reader
   * never sees a half-written file and a crash leaves the previous file in place.
   *
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  static void writeAtomically(Path file, byte[] bytes) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // A fresh name created with the default permissions (createTempFile would make it 0600).
      Path tmp = dir.resolve("." + file.getFileName() + "." + System.nanoTime() + ".tmp");
      try {
        Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
          Files.move(
              tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write " + file, e);
    }
  }
}
