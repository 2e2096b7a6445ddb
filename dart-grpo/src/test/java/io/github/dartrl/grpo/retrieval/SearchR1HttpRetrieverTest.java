package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against small fake servers on loopback. */
class SearchR1HttpRetrieverTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A status and a body. */
  private record Reply(int status, String body) {}

  private HttpServer fake;
  private ExecutorService fakeThreads;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stopFake() {
    if (fake != null) {
      fake.stop(0);
      fakeThreads.shutdownNow();
    }
  }

  /** Starts a fake that answers request n (0-based) with {@code replies.apply(n)}. */
  private String startFake(IntFunction<Reply> replies) throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fakeThreads = Executors.newFixedThreadPool(2);
    fake.setExecutor(fakeThreads);
    fake.createContext(
        "/retrieve",
        (HttpExchange ex) -> {
          bodies.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
          Reply reply = replies.apply(requests.getAndIncrement());
          byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(reply.status(), bytes.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
          }
        });
    fake.start();
    return "http://127.0.0.1:" + fake.getAddress().getPort() + "/retrieve";
  }

  private static HttpRetrieverConfig fast(String url) {
    return HttpRetrieverConfig.of(url)
        .withConnectTimeout(Duration.ofSeconds(2))
        .withReadTimeout(Duration.ofSeconds(5))
        .withMaxRetries(2)
        .withBackoff(Duration.ofMillis(20));
  }

  private static final String ONE_HIT =
      "{\"result\": [[{\"document\": {\"id\": \"9\", \"contents\": \"\\\"Oslo\\\"\\nCapital of"
          + " Norway.\"}, \"score\": 2.5}]]}";

  @Test
  void sendsTheSearchR1RequestAndParsesScores() throws IOException {
    String url = startFake(n -> new Reply(200, ONE_HIT));
    SearchR1HttpRetriever client = new SearchR1HttpRetriever(fast(url));
    assertThat(client.search("capital of Norway", 3))
        .containsExactly(new Passage("9", "Oslo", "Capital of Norway.", 2.5));
    JsonNode sent = bodies.get(0);
    assertThat(sent.get("queries").get(0).asText()).isEqualTo("capital of Norway");
    assertThat(sent.get("topk").asInt()).isEqualTo(3);
    assertThat(sent.get("return_scores").asBoolean()).isTrue();
  }

  @Test
  void parsesAHandWrittenResponseWithoutIdAndScore() throws IOException {
    // Search-R1's BM25 server sends documents without id; return_scores=false drops the score.
    String url =
        startFake(
            n ->
                new Reply(
                    200,
                    "{\"result\": [[{\"contents\": \"\\\"A\\\"\\nalpha\"},"
                        + " {\"document\": {\"title\": \"B\", \"text\": \"beta\", \"contents\":"
                        + " \"\\\"B\\\"\\nbeta\"}}, {\"id\": 4, \"title\": \"C\", \"text\":"
                        + " \"gamma\"}], []]}"));
    List<List<Passage>> result =
        new SearchR1HttpRetriever(fast(url)).search(List.of("q1", "q2"), 3);
    assertThat(result.get(0))
        .containsExactly(
            new Passage("", "A", "alpha", Double.NaN),
            new Passage("", "B", "beta", Double.NaN),
            new Passage("4", "C", "gamma", Double.NaN));
    assertThat(result.get(1)).isEmpty();
  }

  @Test
  void cutsLongerListsToTopK() throws IOException {
    String hit = "{\"document\": {\"contents\": \"\\\"T\\\"\\nx\"}, \"score\": 1}";
    String url = startFake(n -> new Reply(200, "{\"result\": [[" + hit + "," + hit + "]]}"));
    assertThat(new SearchR1HttpRetriever(fast(url)).search("q", 1)).hasSize(1);
  }

  @Test
  void retriesAfterA500AndSucceeds() throws IOException {
    String url =
        startFake(
            n -> n == 0 ? new Reply(500, "{\"error\": \"warming up\"}") : new Reply(200, ONE_HIT));
    List<Passage> hits = new SearchR1HttpRetriever(fast(url)).search("q", 3);
    assertThat(hits).extracting(Passage::id).containsExactly("9");
    assertThat(requests.get()).isEqualTo(2);
  }

  @Test
  void givesUpAfterTheLastRetryNamingTheUrlAndLastError() throws IOException {
    String url = startFake(n -> new Reply(503, "{\"error\": \"overloaded\"}"));
    assertThatThrownBy(() -> new SearchR1HttpRetriever(fast(url)).search("q", 3))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("HTTP 503: overloaded");
    assertThat(requests.get()).isEqualTo(3);
  }

  @Test
  void doesNotRetryAClientError() throws IOException {
    String url = startFake(n -> new Reply(400, "{\"error\": \"missing \\\"queries\\\"\"}"));
    assertThatThrownBy(() -> new SearchR1HttpRetriever(fast(url)).search("q", 3))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("rejected the request: HTTP 400: missing \"queries\"");
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void aResponseLargerThanTheBoundFailsAtOnce() throws IOException {
    String big = ONE_HIT.replace("Capital of", "Capital of" + " x".repeat(4000));
    String url = startFake(n -> new Reply(200, big));
    HttpRetrieverConfig bounded = fast(url).withMaxResponseBytes(4096);
    assertThatThrownBy(() -> new SearchR1HttpRetriever(bounded).search("q", 3))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("response body larger than 4096 bytes (maxResponseBytes)");
    assertThat(requests.get()).isEqualTo(1);
    // the same body within the bound is read
    assertThat(new SearchR1HttpRetriever(fast(url)).search("q", 3).get(0).id()).isEqualTo("9");
    assertThat(fast(url).maxResponseBytes())
        .isEqualTo(HttpRetrieverConfig.DEFAULT_MAX_RESPONSE_BYTES);
  }

  @Test
  void malformedResponseIsReportedWithoutRetry() throws IOException {
    String url = startFake(n -> new Reply(200, "{\"result\": [[], []]}"));
    assertThatThrownBy(() -> new SearchR1HttpRetriever(fast(url)).search("q", 3))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("2 result lists for 1 queries");
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void serverThatNeverAnswersFailsWithinTimeoutTimesAttempts() throws IOException {
    // The kernel completes the TCP handshake for the backlog; nobody ever reads or answers.
    try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/retrieve";
      Duration read = Duration.ofMillis(300);
      HttpRetrieverConfig config =
          HttpRetrieverConfig.of(url)
              .withConnectTimeout(Duration.ofMillis(500))
              .withReadTimeout(read)
              .withMaxRetries(2)
              .withBackoff(Duration.ofMillis(50));
      long start = System.nanoTime();
      assertThatThrownBy(() -> new SearchR1HttpRetriever(config).search("q", 3))
          .isInstanceOf(RetrieverException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("after 3 attempts")
          .hasMessageContaining("timed out");
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      // 3 attempts x 300 ms + back-off 50 + 100 ms; at most (connect + read) per attempt.
      assertThat(elapsedMs).isGreaterThanOrEqualTo(3 * 300 + 150);
      assertThat(elapsedMs).isLessThan(3 * (500 + 300) + 150 + 1500);
    }
  }

  @Test
  void refusedConnectionIsRetriedThenReported() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/retrieve";
    assertThatThrownBy(() -> new SearchR1HttpRetriever(fast(url).withMaxRetries(1)).search("q", 3))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void emptyBatchMakesNoRequest() throws IOException {
    String url = startFake(n -> new Reply(200, ONE_HIT));
    assertThat(new SearchR1HttpRetriever(fast(url)).search(List.of(), 3)).isEmpty();
    assertThat(requests.get()).isZero();
  }

  @Test
  void configRejectsBadValuesAndComputesBackoff() {
    assertThatThrownBy(() -> HttpRetrieverConfig.of("ftp://x/retrieve"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpRetrieverConfig.of("http://x/r").withReadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    HttpRetrieverConfig c = HttpRetrieverConfig.of("http://x/r").withBackoff(Duration.ofSeconds(1));
    assertThat(c.backoffBefore(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.backoffBefore(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.backoffBefore(60)).isEqualTo(HttpRetrieverConfig.MAX_BACKOFF);
  }
}
