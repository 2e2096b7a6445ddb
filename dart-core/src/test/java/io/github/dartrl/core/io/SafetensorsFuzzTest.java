package io.github.dartrl.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link SafetensorsFile#open} on whole files (header length, JSON header, data section).
 *
 * <p>Contract: an input either opens, and every tensor's bytes can then be mapped, or fails with
 * {@link ModelFormatException}; any other exception, a hang or an unbounded allocation is a
 * finding. Seeds: {@code src/test/resources/io/github/dartrl/core/io/SafetensorsFuzzTestInputs/}.
 */
class SafetensorsFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("safetensorsFile", RUNS);
  }

  @FuzzTest
  void safetensorsFile(byte[] data) {
    RUNS.incrementAndGet();
    Path file = FuzzFiles.write("fuzz.safetensors", data);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      f.metadata().forEach((k, v) -> k.length());
      for (TensorInfo t : f.tensors()) {
        ByteBuffer raw = f.raw(t.name());
        if (raw.remaining() != t.byteLength()) {
          throw new AssertionError(t + " mapped " + raw.remaining() + " bytes");
        }
      }
    } catch (ModelFormatException expected) {
      // the typed rejection the contract allows
    }
  }
}
