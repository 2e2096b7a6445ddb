package io.github.dartrl.grpo.retrieval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link CorpusReader} on whole corpus JSONL files.
 *
 * <p>Contract: every passage read has a non-empty id, or the read fails with {@link
 * CorpusFormatException}; anything else is a finding. The line bound is small (4 KiB) so that the
 * fuzzer reaches it.
 */
class CorpusReaderFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("corpusJsonl", RUNS);
  }

  @FuzzTest
  void corpusJsonl(byte[] data) throws IOException {
    RUNS.incrementAndGet();
    try (CorpusReader reader = CorpusReader.open(FuzzFiles.write("corpus.jsonl", data), 4096)) {
      for (CorpusReader.Document d = reader.next(); d != null; d = reader.next()) {
        if (d.id().isEmpty() || d.contents() == null) {
          throw new AssertionError("invalid passage accepted: " + d);
        }
      }
    } catch (CorpusFormatException expected) {
      // the typed rejection the contract allows
    }
  }
}
