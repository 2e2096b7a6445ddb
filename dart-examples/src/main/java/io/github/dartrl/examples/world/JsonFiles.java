package io.github.dartrl.examples.world;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
      AtomicFiles.write(file, out -> out.write(bytes));
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write " + file, e);
    }
  }
}
