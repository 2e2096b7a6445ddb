package io.github.dartrl.grpo.retrieval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the decoding of a {@code POST /retrieve} body exactly as {@link RetrieverServer} does it
 * ({@link SearchR1Json#decodeRequest}, the server's only parsing of client bytes).
 *
 * <p>Contract: a body either decodes to a request within the limits (at most 8 queries, {@code
 * topk} null or in [1, 10]) or fails with {@link IllegalArgumentException}, which the server sends
 * back as 400; anything else would be a 500 or worse, and is a finding.
 */
class SearchR1RequestFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static void report() {
    FuzzFiles.report("retrieveRequest", RUNS);
  }

  @FuzzTest
  void retrieveRequest(byte[] body) {
    RUNS.incrementAndGet();
    SearchR1Json.Request r;
    try {
      r = SearchR1Json.decodeRequest(body, 8, 10);
    } catch (IllegalArgumentException expected) {
      return; // becomes 400 with the message
    }
    if (r.queries().size() > 8
        || r.queries().contains(null)
        || (r.topK() != null && (r.topK() < 1 || r.topK() > 10))) {
      throw new AssertionError("request outside the limits accepted: " + r);
    }
  }
}
