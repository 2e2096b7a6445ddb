package io.github.dartrl.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one Jackson configuration used for untrusted checkpoint JSON (safetensors headers, shard
 * indexes).
 *
 * <p>Headers come from downloaded files, so parsing is bounded (nesting depth, string and number
 * lengths) and strict: duplicate keys and trailing garbage are errors instead of silently picking
 * one reading of an ambiguous file.
 */
final class Json {
  /** Safetensors headers are flat (depth 3); anything deeper is not a checkpoint. */
  static final int MAX_NESTING = 32;

  /** Longest string value accepted (metadata values can be large, e.g. embedded configs). */
  static final int MAX_STRING = 16 * 1024 * 1024;

  // Built by UntrustedJson (the one factory for untrusted JSON, strict about duplicate keys), with
  // tighter caps for headers.
  static final ObjectMapper MAPPER =
      UntrustedJson.newMapper(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING)
                  .maxStringLength(MAX_STRING)
                  .maxNumberLength(64)
                  .maxNameLength(UntrustedJson.MAX_NAME_LENGTH)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /**
   * Parses {@code bytes} as one JSON object.
   *
   * @param file the file the bytes come from, for errors
   * @param what the part of the file being parsed (becomes the exception's field)
   */
  static JsonNode parseObject(byte[] bytes, Path file, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          file, what, "expected a JSON object, found invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelFormatException(
          file, what, "expected a JSON object, found unreadable bytes", e);
    }
    if (node == null || !node.isObject()) {
      throw new ModelFormatException(
          file,
          what,
          "expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType()));
    }
    return node;
  }

  /** Returns a short description of a JSON node for "expected X, found Y" messages. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }
}
