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

  static List<FaultCase> cases() {
    Category r = Category.RETRIEVER;
    return List.of(
        of(
                "retriever-503",
                r,
                "HTTP 503 on every request",
                serve(FaultyServer.Mode.UNAVAILABLE_503),
                search(2),
                throwsA(RE, "{url}", "failed after 3 attempts", "HTTP 503", "index is reloading"))
            .verifying(attempts(3)),
        of(
                "retriever-timeout",
                r,
                "server never answers (read timeout 500 ms)",
                serve(FaultyServer.Mode.HANG),
                search(1),
                throwsA(RE, "{url}", "failed after 2 attempts", "timed out"))
            .verifying(attempts(2)),
        of(
                "retriever-refused",
                r,
                "nothing listens on the port",
                serve(FaultyServer.Mode.REFUSED),
                search(1),
                throwsA(RE, "{url}", "failed after 2 attempts", "ConnectException"))
            .verifying(attempts(0)),
        of(
                "retriever-400",
                r,
                "HTTP 400 with an error body",
                serve(FaultyServer.Mode.BAD_REQUEST_400),
                search(3),
                throwsA(RE, "{url}", "rejected the request", "HTTP 400", "topk must be <= 2"))
            .verifying(attempts(1)),
        of(
                "retriever-malformed-json",
                r,
                "200 with a body cut off mid-JSON",
                serve(FaultyServer.Mode.MALFORMED_JSON),
                search(3),
                throwsA(RE, "{url}", "sent an invalid response", "response is not JSON"))
            .verifying(attempts(1)),
        of(
                "retriever-wrong-nesting",
                r,
                "\"result\" is a flat list of hits, not one list per query",
                serve(FaultyServer.Mode.WRONG_NESTING),
                search(3),
                throwsA(RE, "{url}", "\"result\"[0] is not a list"))
            .verifying(attempts(1)),
        of(
                "retriever-count-mismatch",
                r,
                "one result list for two queries",
                serve(FaultyServer.Mode.COUNT_MISMATCH),
                search(3),
                throwsA(RE, "{url}", "response has 1 result lists for 2 queries"))
            .verifying(attempts(1)),
        of(
                "retriever-missing-result",
                r,
                "lists under \"results\" instead of \"result\"",
                serve(FaultyServer.Mode.MISSING_RESULT),
                search(3),
                throwsA(RE, "{url}", "response has no \"result\" list"))
            .verifying(attempts(1)),
        of(
                "retriever-oversized-body",
                r,
                "a 16 KB response to a client bounded at 4 KiB (maxResponseBytes)",
                serve(FaultyServer.Mode.OVERSIZED),
                search(3),
                throwsA(RE, "{url}", "response body larger than 4096 bytes (maxResponseBytes)"))
            .verifying(attempts(1)),
        of(
                "retriever-hit-without-text",
                r,
                "a hit with neither \"contents\" nor \"text\"",
                serve(FaultyServer.Mode.HIT_WITHOUT_TEXT),
                search(3),
                throwsA(RE, "{url}", "\"result\"[0][0] has neither \"contents\" nor \"text\""))
            .verifying(attempts(1)));
  }
}
