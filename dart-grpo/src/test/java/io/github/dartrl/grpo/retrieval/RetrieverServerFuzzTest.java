package io.github.dartrl.grpo.retrieval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.FuzzFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes a running {@link RetrieverServer} end to end: each input is POSTed as the body of a
 * request to {@code /retrieve} on 127.0.0.1, over a small BM25 index.
 *
 * <p>Contract: every response is 200 with a {@code result} list of one list per query, 400 with an
 * {@code error} string, or 413 for a body over the limit; a 500, another status, a malformed body
 * or no answer within 10 s is a finding.
 */
class RetrieverServerFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static synchronized void report() throws IOException {
    FuzzFiles.report("retrieverServer", RUNS);
    if (server != null) {
      server.close();
      local.close();
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      server = null;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ALLOWED = Set.of(200, 400, 413);
  private static Path dir;
  private static LuceneBm25Retriever local;
  private static RetrieverServer server;
  private static HttpClient http;

  private static synchronized URI url() {
    if (server == null) {
      try {
        dir = Files.createTempDirectory("dart4j-fuzz-server-");
        local = TestCorpus.index(dir);
        server =
            RetrieverServer.start(
                local,
                RetrieverServerConfig.defaults()
                    .withPort(0)
                    .withMaxTopK(5)
                    .withMaxQueries(4)
                    .withMaxBodyBytes(2048)
                    .withThreads(2));
        http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server.url();
  }

  @FuzzTest
  void retrieverServer(byte[] body) throws Exception {
    RUNS.incrementAndGet();
    HttpRequest request =
        HttpRequest.newBuilder(url())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    int status = response.statusCode();
    if (!ALLOWED.contains(status)) {
      throw new AssertionError("status " + status + ": " + new String(response.body()));
    }
    JsonNode root = JSON.readTree(response.body());
    boolean wellFormed =
        status == 200
            ? root.path("result").isArray()
            : root.path("error").isTextual() && !root.path("error").asText().isEmpty();
    if (!wellFormed) {
      throw new AssertionError("malformed " + status + " body: " + new String(response.body()));
    }
  }
}
