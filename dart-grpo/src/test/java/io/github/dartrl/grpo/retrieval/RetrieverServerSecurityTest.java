package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's security defaults: loopback only, bounded bodies, bounded JSON. */
class RetrieverServerSecurityTest {

  @TempDir static Path tmp;
  static LuceneBm25Retriever local;
  static RetrieverServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    local = TestCorpus.index(tmp);
    // The defaults as shipped, but an ephemeral port.
    server = RetrieverServer.start(local, RetrieverServerConfig.defaults().withPort(0));
  }

  @AfterAll
  static void stop() {
    server.close();
    local.close();
  }

  @Test
  void defaultsBindLoopbackOnlyWithABodyLimit() throws Exception {
    RetrieverServerConfig d = RetrieverServerConfig.defaults();
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.maxBodyBytes()).isEqualTo(4 << 20);
    assertThat(InetAddress.getByName(server.url().getHost()).isLoopbackAddress()).isTrue();
    assertThat(server.url().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void overDeepJsonGets400() throws Exception {
    String deep = "{\"queries\": [\"a\"], \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
    HttpResponse<String> resp = post(deep);
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(error(resp)).contains("malformed JSON").contains("nesting depth");
  }

  @Test
  void hugeStringGets400EvenUnderTheBodyLimit() throws Exception {
    String body = "{\"queries\": [\"" + "x".repeat(SearchR1Json.MAX_STRING_CHARS + 10) + "\"]}";
    assertThat(body.length()).isLessThan(RetrieverServerConfig.defaults().maxBodyBytes());
    HttpResponse<String> resp = post(body);
    assertThat(resp.statusCode()).isEqualTo(400);
    assertThat(error(resp)).contains("String value length");
  }

  @Test
  void bodyOverTheLimitGets413WithAClearMessage() throws Exception {
    String body = "{\"queries\": [" + "\"abc\",".repeat(800_000) + "\"abc\"]}";
    HttpResponse<String> resp = post(body);
    assertThat(resp.statusCode()).isEqualTo(413);
    assertThat(error(resp)).contains("request body exceeds " + (4 << 20) + " bytes");
  }

  @Test
  void theLimitIsConfigurable() throws Exception {
    try (RetrieverServer small =
        RetrieverServer.start(
            local, RetrieverServerConfig.defaults().withPort(0).withMaxBodyBytes(100))) {
      HttpRequest req =
          HttpRequest.newBuilder(small.url())
              .timeout(Duration.ofSeconds(10))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"queries\": [\"" + "y".repeat(200) + "\"]}"))
              .build();
      HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(resp.statusCode()).isEqualTo(413);
      assertThat(error(resp)).contains("exceeds 100 bytes");
    }
  }

  private static HttpResponse<String> post(String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(server.url())
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> resp) throws Exception {
    JsonNode root = JSON.readTree(resp.body());
    return root.path("error").asText();
  }
}
