package io.github.dartrl.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file.
 *
 * <p>Validation is all-or-nothing at open time so that a bad file fails with a precise message
 * before any tensor is mapped, instead of producing garbage weights or a crash deep inside a
 * forward pass.
 *
 * @param metadata the {@code __metadata__} map (empty if absent), in file order
 * @param tensors the entries sorted by data offset
 */
record SafetensorsHeader(Map<String, String> metadata, List<TensorInfo> tensors) {
  static final String METADATA_KEY = "__metadata__";

  /**
   * Parses and validates a header.
   *
   * @param json the header bytes (UTF-8 JSON, possibly space-padded)
   * @param dataLength the number of bytes after the header
   * @param file the file, for error messages
   */
  static SafetensorsHeader parse(byte[] json, long dataLength, Path file) {
    JsonNode root = Json.parseObject(json, file, "header");
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (METADATA_KEY.equals(e.getKey())) {
        readMetadata(e.getValue(), file, metadata);
      } else {
        tensors.add(readEntry(e.getKey(), e.getValue(), dataLength, file));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkNoOverlap(tensors, file);
    return new SafetensorsHeader(
        Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tensors));
  }

  private static void readMetadata(JsonNode node, Path file, Map<String, String> out) {
    if (!node.isObject()) {
      throw new ModelFormatException(
          file, METADATA_KEY, "expected an object of string values, found " + Json.describe(node));
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new ModelFormatException(
            file,
            METADATA_KEY,
            "expected a string value for key '"
                + e.getKey()
                + "', found "
                + Json.describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static TensorInfo readEntry(String name, JsonNode node, long dataLength, Path file) {
    if (!node.isObject()) {
      throw new ModelFormatException(
          file,
          name,
          "expected an object with dtype, shape, data_offsets, found " + Json.describe(node));
    }
    JsonNode dtypeNode = node.path("dtype");
    if (!dtypeNode.isTextual()) {
      throw new ModelFormatException(
          file, name, "expected 'dtype' to be a string, found " + Json.describe(dtypeNode));
    }
    SafetensorsDType dtype = SafetensorsDType.parse(dtypeNode.textValue(), file, name);
    long[] shape = readLongs(node.path("shape"), "shape", -1, file, name);
    long[] offsets = readLongs(node.path("data_offsets"), "data_offsets", 2, file, name);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end || end > dataLength) {
      throw new ModelFormatException(
          file,
          name,
          "expected data_offsets [begin, end] with begin <= end <= "
              + dataLength
              + " (the data section length), found ["
              + begin
              + ", "
              + end
              + "]");
    }
    long expected;
    try {
      expected = 1;
      for (long d : shape) {
        expected = Math.multiplyExact(expected, d);
      }
      expected = Math.multiplyExact(expected, (long) dtype.byteSize());
    } catch (ArithmeticException overflow) {
      throw new ModelFormatException(
          file, name, "shape " + Arrays.toString(shape) + " overflows a 64-bit size");
    }
    if (expected != end - begin) {
      throw new ModelFormatException(
          file,
          name,
          "expected shape "
              + Arrays.toString(shape)
              + " x "
              + dtype
              + " ("
              + dtype.byteSize()
              + " bytes) = "
              + expected
              + " bytes, found data_offsets spanning "
              + (end - begin)
              + " bytes");
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  /** Reads an array of non-negative integers; {@code length < 0} means any length. */
  private static long[] readLongs(JsonNode node, String key, int length, Path file, String name) {
    if (!node.isArray() || (length >= 0 && node.size() != length)) {
      String want = length >= 0 ? "an array of " + length + " integers" : "an array of integers";
      throw new ModelFormatException(
          file, name, "expected '" + key + "' to be " + want + ", found " + Json.describe(node));
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new ModelFormatException(
            file,
            name,
            "expected '"
                + key
                + "' to hold non-negative 64-bit integers, found "
                + Json.describe(node));
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static void checkNoOverlap(List<TensorInfo> sorted, Path file) {
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo prev = sorted.get(i - 1);
      TensorInfo cur = sorted.get(i);
      if (cur.begin() < prev.end()) {
        throw new ModelFormatException(
            file,
            cur.name(),
            "expected tensors not to overlap, found data_offsets ["
                + cur.begin()
                + ", "
                + cur.end()
                + "] overlapping '"
                + prev.name()
                + "' at ["
                + prev.begin()
                + ", "
                + prev.end()
                + "]");
      }
    }
  }
}
