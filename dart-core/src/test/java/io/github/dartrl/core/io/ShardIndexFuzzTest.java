package io.github.dartrl.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the parsing of {@code model.safetensors.index.json}, whose shard names become file paths.
 *
 * <p>Contract: an input either yields a weight map whose every shard resolves inside the model
 * directory, or fails with {@link ModelFormatException}; anything else is a finding.
 */
class ShardIndexFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("shardIndex", RUNS);
  }

  @FuzzTest
  void shardIndex(byte[] data) {
    RUNS.incrementAndGet();
    Path index = FuzzFiles.write(HfWeights.INDEX_FILE, data);
    Path dir = index.getParent().toAbsolutePath().normalize();
    try {
      Map<String, String> map = HfWeights.readWeightMap(index, dir);
      for (String shard : map.values()) {
        Path p = dir.resolve(shard).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
          throw new AssertionError("shard '" + shard + "' escapes " + dir);
        }
      }
    } catch (ModelFormatException expected) {
      // the typed rejection the contract allows
    }
  }
}
