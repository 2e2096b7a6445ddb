package io.github.dartrl.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.model.ModelConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link ModelConfig#read} on {@code config.json} bytes.
 *
 * <p>Contract: an input either yields a valid config (whose JSON form reads back equal) or fails
 * with {@link ModelFormatException}; anything else is a finding.
 */
class ModelConfigFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("modelConfig", RUNS);
  }

  @FuzzTest
  void modelConfig(byte[] data) {
    RUNS.incrementAndGet();
    ModelConfig config;
    try {
      config = ModelConfig.read(FuzzFiles.write("config.json", data));
    } catch (ModelFormatException expected) {
      return; // the typed rejection the contract allows
    }
    ModelConfig again =
        ModelConfig.read(FuzzFiles.write("again.json", config.toJson().toString().getBytes()));
    if (!again.equals(config)) {
      throw new AssertionError("config does not round-trip: " + config + " vs " + again);
    }
  }
}
