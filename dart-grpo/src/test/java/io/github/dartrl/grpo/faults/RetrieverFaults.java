package io.github.dartrl.grpo.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.FaultyServer;
import io.github.dartrl.grpo.retrieval.HttpRetrieverConfig;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.retrieval.SearchR1HttpRetriever;
import java.time.Duration;
import java.util.List;

/**
 * A Search-R1 retrieval server that misbehaves, called through SearchR1HttpRetriever: the error
 * must name the URL and what was wrong, and retries must stop where the config says.
 */
final class RetrieverFaults {
  private RetrieverFaults() {}

  private static final Class<RetrieverException> RE = RetrieverException.class;

  /**
   * Two queries, top-3, with {@code retries} retries and 10 ms back-off. Timeouts are generous (a
   * loaded machine must not turn a 503 into a timeout) except against the server that never
   * answers, where the read timeout is the fault under test.
   */
  private static FaultCase.Action search(int retries) {
    return w -> {
      boolean hang = w.server().mode() == FaultyServer.Mode.HANG;
      HttpRetrieverConfig config =
          new HttpRetrieverConfig(
              w.server().url(),
              Duration.ofSeconds(30),
              hang ? Duration.ofMillis(500) : Duration.ofSeconds(30),
              retries,
              Duration.ofMillis(10),
              w.server().mode() == FaultyServer.Mode.OVERSIZED
                  ? 4096
                  : HttpRetrieverConfig.DEFAULT_MAX_RESPONSE_BYTES);
      try (SearchR1HttpRetriever r = new SearchR1HttpRetriever(config)) {
        return r.search(List.of("capital of france", "capital of peru"), 3);
      }
    };
  }

  private static FaultCase.Arrange serve(FaultyServer.Mode mode) {
    return w -> w.serve(mode);
  }

  private static FaultCase.Verify attempts(int n) {
    return w -> assertThat(w.server().hits()).as("requests the server received").isEqualTo(n);
  }

  /**
   * A server that misbehaves as {@code mode} on every request, searched with {@code retries}
   * retries: the search fails with a RetrieverException naming the URL and every one of {@code
   * fragments}, and the server has received exactly {@code requests} requests.
   */
  private static FaultCase fault(
      String name,
      String input,
      FaultyServer.Mode mode,
      int retries,
      int requests,
      String... fragments) {
    String[] expected = new String[fragments.length + 1];
    expected[0] = "{url}";
    System.arraycopy(fragments, 0, expected, 1, fragments.length);
    return of(name, Category.RETRIEVER, input, serve(mode), search(retries), throwsA(RE, expected))
        .verifying(attempts(requests));
  }

  static List<FaultCase> cases() {
    return List.of(
        fault(
            "retriever-503",
            "HTTP 503 on every request",
            FaultyServer.Mode.UNAVAILABLE_503,
            2,
            3,
            "failed after 3 attempts",
            "HTTP 503",
            "index is reloading"),
        fault(
            "retriever-timeout",
            "server never answers (read timeout 500 ms)",
            FaultyServer.Mode.HANG,
            1,
            2,
            "failed after 2 attempts",
            "timed out"),
        fault(
            "retriever-refused",
            "nothing listens on the port",
            FaultyServer.Mode.REFUSED,
            1,
            0,
            "failed after 2 attempts",
            "ConnectException"),
        fault(
            "retriever-400",
            "HTTP 400 with an error body",
            FaultyServer.Mode.BAD_REQUEST_400,
            3,
            1,
            "rejected the request",
            "HTTP 400",
            "topk must be <= 2"),
        fault(
            "retriever-malformed-json",
            "200 with a body cut off mid-JSON",
            FaultyServer.Mode.MALFORMED_JSON,
            3,
            1,
            "sent an invalid response",
            "response is not JSON"),
        fault(
            "retriever-wrong-nesting",
            "\"result\" is a flat list of hits, not one list per query",
            FaultyServer.Mode.WRONG_NESTING,
            3,
            1,
            "\"result\"[0] is not a list"),
        fault(
            "retriever-count-mismatch",
            "one result list for two queries",
            FaultyServer.Mode.COUNT_MISMATCH,
            3,
            1,
            "response has 1 result lists for 2 queries"),
        fault(
            "retriever-missing-result",
            "lists under \"results\" instead of \"result\"",
            FaultyServer.Mode.MISSING_RESULT,
            3,
            1,
            "response has no \"result\" list"),
        fault(
            "retriever-oversized-body",
            "a 16 KB response to a client bounded at 4 KiB (maxResponseBytes)",
            FaultyServer.Mode.OVERSIZED,
            3,
            1,
            "response body larger than 4096 bytes (maxResponseBytes)"),
        fault(
            "retriever-hit-without-text",
            "a hit with neither \"contents\" nor \"text\"",
            FaultyServer.Mode.HIT_WITHOUT_TEXT,
            3,
            1,
            "\"result\"[0][0] has neither \"contents\" nor \"text\""));
  }
}
