package io.github.dartrl.core.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A safetensors file taken apart into its JSON header and data bytes, so a test can break either
 * and write it back, independently of the reader and writer under test.
 */
public final class RawSafetensors {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final ObjectNode header;
  public byte[] data;

  private RawSafetensors(ObjectNode header, byte[] data) {
    this.header = header;
    this.data = data;
  }

  public static RawSafetensors read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 8, 8 + (int) n));
    return new RawSafetensors(header, Arrays.copyOfRange(all, 8 + (int) n, all.length));
  }

  /** The header entry of a tensor. */
  public ObjectNode entry(String tensor) {
    ObjectNode e = (ObjectNode) header.get(tensor);
    if (e == null) {
      throw new IllegalArgumentException("fixture has no tensor " + tensor);
    }
    return e;
  }

  public long begin(String tensor) {
    return entry(tensor).get("data_offsets").get(0).asLong();
  }

  public long end(String tensor) {
    return entry(tensor).get("data_offsets").get(1).asLong();
  }

  public void setOffsets(String tensor, long begin, long end) {
    ArrayNode o = entry(tensor).putArray("data_offsets");
    o.add(begin).add(end);
  }

  public void setShape(String tensor, long... shape) {
    ArrayNode s = entry(tensor).putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
  }

  /** Overwrites element {@code index} of an F32 tensor. */
  public void setF32(String tensor, int index, float value) {
    ByteBuffer.wrap(data)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putFloat((int) begin(tensor) + 4 * index, value);
  }

  public void write(Path file) throws IOException {
    byte[] h = JSON.writeValueAsBytes(header);
    writeRaw(file, h.length, h, data);
  }

  /** Writes {@code u64le(headerLength) + header + data}; the length may lie. */
  public static void writeRaw(Path file, long headerLength, byte[] header, byte[] data)
      throws IOException {
    ByteBuffer buf =
        ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(headerLength).put(header).put(data);
    Files.write(file, buf.array());
  }

  public byte[] headerBytes() throws IOException {
    return JSON.writeValueAsBytes(header);
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
