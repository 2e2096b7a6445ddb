package io.github.dartrl.grpo.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link QaDataset#readJsonl} (and so {@link io.github.dartrl.core.io.BoundedLineReader}) on
 * whole files.
 *
 * <p>Contract: an input either reads as a dataset whose every example is valid, or fails with
 * {@link DatasetFormatException}; anything else is a finding. The line bound is small (4 KiB) so
 * that the fuzzer reaches it.
 */
class QaDatasetFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("qaJsonl", RUNS);
  }

  @FuzzTest
  void qaJsonl(byte[] data) throws IOException {
    RUNS.incrementAndGet();
    QaDataset dataset;
    try {
      dataset = QaDataset.readJsonl(FuzzFiles.write("qa.jsonl", data), 4096);
    } catch (DatasetFormatException expected) {
      return; // the typed rejection the contract allows
    }
    for (QaExample e : dataset.examples()) {
      if (e.id().isEmpty() || e.question().isBlank() || e.goldenAnswers().isEmpty()) {
        throw new AssertionError("invalid example accepted: " + e);
      }
    }
  }
}
