package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server over loopback, checked with the project's client and with raw HTTP. */
class RetrieverServerTest {

  @TempDir static Path tmp;
  static LuceneBm25Retriever local;
  static RetrieverServer server;
  static SearchR1HttpRetriever client;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws IOException {
    local = TestCorpus.index(tmp);
    server =
        RetrieverServer.start(
            local,
            RetrieverServerConfig.defaults()
                .withPort(0)
                .withMaxTopK(5)
                .withMaxQueries(4)
                .withMaxBodyBytes(1024)
                .withThreads(2));
    client =
        new SearchR1HttpRetriever(
            HttpRetrieverConfig.of(server.url().toString())
                .withReadTimeout(Duration.ofSeconds(10))
                .withMaxRetries(0));
  }

  @AfterAll
  static void stop() {
    server.close();
    local.close();
  }

  @Test
  void bindsLoopbackOnAnEphemeralPort() {
    assertThat(server.port()).isPositive().isNotEqualTo(8000);
    assertThat(server.url().toString())
        .isEqualTo("http://127.0.0.1:" + server.port() + "/retrieve");
  }

  @Test
  void roundTripReturnsTheSamePassagesAsTheLocalRetriever() {
    List<String> queries = List.of("capital of Germany", "Eiffel Tower", "python language", "zzz");
    List<List<Passage>> remote = client.search(queries, 3);
    assertThat(remote).isEqualTo(local.search(queries, 3));
    assertThat(remote.get(0).get(0).id()).isEqualTo("d1");
    assertThat(remote.get(3)).isEmpty();
  }

  @Test
  void returnScoresFalseFormHasPlainDocumentsWithoutScores() throws Exception {
    HttpResponse<String> resp =
        post("{\"queries\": [\"Eiffel Tower\"], \"topk\": 2, \"return_scores\": false}");
    assertThat(resp.statusCode()).isEqualTo(200);
    JsonNode hit = JSON.readTree(resp.body()).at("/result/0/0");
    assertThat(hit.has("document")).isFalse();
    assertThat(hit.get("id").asText()).isEqualTo("d2");
    assertThat(hit.get("contents").asText()).startsWith("\"Eiffel Tower\"\nThe Eiffel");

    List<Passage> parsed =
        SearchR1Json.decodeResponse(resp.body().getBytes(StandardCharsets.UTF_8), 1).get(0);
    List<Passage> expected =
        local.search("Eiffel Tower", 2).stream().map(p -> p.withScore(Double.NaN)).toList();
    assertThat(parsed).isEqualTo(expected);
  }

  @Test
  void missingTopkUsesTheServerDefault() throws Exception {
    HttpResponse<String> resp = post("{\"queries\": [\"capital\"], \"return_scores\": true}");
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(resp.body()).at("/result/0").size()).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"queries\": [\"a\"|malformed JSON",
        "[\"a\"]|must be a JSON object",
        "{\"topk\": 3}|missing \"queries\"",
        "{\"queries\": \"capital\"}|\"queries\" must be a list of strings, got string",
        "{\"queries\": [\"a\", 5]}|\"queries\"[1] must be a string, got number",
        "{\"queries\": [\"a\"], \"topk\": 6}|\"topk\" must be between 1 and 5, got 6",
        "{\"queries\": [\"a\"], \"topk\": -1}|\"topk\" must be between 1 and 5",
        "{\"queries\": [\"a\"], \"topk\": 0}|\"topk\" must be between 1 and 5, got 0",
        "{\"queries\": [\"a\"], \"queries\": [\"b\"]}|Duplicate field 'queries'",
        "{\"queries\": [\"a\"], \"topk\": 2.5}|\"topk\" must be an integer",
        "{\"queries\": [\"a\"], \"topk\": \"3\"}|\"topk\" must be an integer",
        "{\"queries\": [\"a\"], \"return_scores\": \"yes\"}|\"return_scores\" must be true or false",
        "{\"queries\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}|too many queries: 5 (at most 4",
        "{\"queries\": [\"a\"]} {}|malformed JSON",
        "''|empty request body",
      })
  void badRequestsGet400WithAJsonError(String body, String message) throws Exception {
    assertError(post(body), 400, message);
  }

  @Test
  void oversizedBodyGets413WithOrWithoutContentLength() throws Exception {
    String big = "{\"queries\": [\"" + "x".repeat(2000) + "\"]}";
    assertError(post(big), 413, "request body exceeds 1024 bytes");

    // Chunked (no Content-Length): the limit is enforced while reading.
    byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
    HttpRequest chunked =
        HttpRequest.newBuilder(server.url())
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
            .build();
    assertError(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "exceeds 1024");
  }

  @Test
  void wrongPathGets404AndWrongMethodGets405() throws Exception {
    HttpRequest other =
        HttpRequest.newBuilder(server.url().resolve("/search"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": [\"a\"]}"))
            .build();
    assertError(
        HTTP.send(other, HttpResponse.BodyHandlers.ofString()), 404, "no such path /search");

    HttpRequest get = HttpRequest.newBuilder(server.url()).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> resp = HTTP.send(get, HttpResponse.BodyHandlers.ofString());
    assertError(resp, 405, "method GET not allowed");
    assertThat(resp.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void failingRetrieverGets500WithoutAStackTrace() throws Exception {
    Retriever broken =
        (queries, k) -> {
          throw new IllegalStateException("secret internal detail at /var/index");
        };
    try (RetrieverServer s =
        RetrieverServer.start(broken, RetrieverServerConfig.defaults().withPort(0))) {
      HttpRequest req =
          HttpRequest.newBuilder(s.url())
              .timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": [\"a\"]}"))
              .build();
      HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      assertError(resp, 500, "retrieval failed");
      assertThat(resp.body())
          .doesNotContain("secret")
          .doesNotContain("Exception")
          .doesNotContain("java.");
    }
  }

  @Test
  void portInUseIsAClearError() {
    RetrieverServerConfig same = RetrieverServerConfig.defaults().withPort(server.port());
    assertThatThrownBy(() -> RetrieverServer.start(local, same))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining("127.0.0.1:" + server.port());
  }

  private static HttpResponse<String> post(String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(server.url())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> resp, int status, String message)
      throws IOException {
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(status);
    assertThat(resp.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode json = JSON.readTree(resp.body());
    assertThat(json.size()).isEqualTo(1);
    assertThat(json.get("error").asText()).contains(message);
  }
}
