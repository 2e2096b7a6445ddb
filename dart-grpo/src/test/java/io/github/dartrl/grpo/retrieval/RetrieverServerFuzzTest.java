package io.github.dartrl.grpo.retrieval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.FileTrees;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes a running {@link RetrieverServer} end to end: each input is POSTed as the body of a
 * request to {@code /retrieve} on 127.0.0.1, over a small BM25 index.
 *
 * <p>Contract: every response is 200 with a {@code result} list of one list per query, 400 with an
 * {@code error} string, or 413 for a body over the limit; a 500, another status, a malformed body
 * or no answer within 10 s is a finding. In a 200 answer, list i holds query i's own passages: the
 * ids the index returns for that query searched alone, in the same order, never more than the
 * server's maxTopK (nor than an explicit {@code topk}).
 */
class RetrieverServerFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();

  @AfterAll
  static synchronized void report() throws IOException {
    FuzzFiles.report("retrieverServer", RUNS);
    if (server != null) {
      server.close();
      local.close();
      FileTrees.deleteTree(dir);
      server = null;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> ALLOWED = Set.of(200, 400, 413);
  private static final int MAX_TOP_K = 5;
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
                    .withMaxTopK(MAX_TOP_K)
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
    if (status == 200) {
      checkOneListPerQuery(JSON.readTree(body), root.get("result"), response);
    }
  }

  /** A 200 was given, so the body is a valid request: one result list per query, each its own. */
  private static void checkOneListPerQuery(
      JsonNode request, JsonNode result, HttpResponse<byte[]> response) {
    JsonNode queries = request.get("queries");
    String answer = new String(response.body());
    if (result.size() != queries.size()) {
      throw new AssertionError(
          queries.size() + " queries but " + result.size() + " result lists: " + answer);
    }
    JsonNode topk = request.get("topk");
    boolean explicit = topk != null && topk.isIntegralNumber() && topk.asInt() >= 1;
    for (int i = 0; i < queries.size(); i++) {
      JsonNode hits = result.get(i);
      int limit = explicit ? Math.min(topk.asInt(), MAX_TOP_K) : MAX_TOP_K;
      if (!hits.isArray() || hits.size() > limit) {
        throw new AssertionError(
            "result " + i + " is not a list of at most " + limit + ": " + answer);
      }
      List<Passage> alone = local.search(List.of(queries.get(i).asText()), MAX_TOP_K).get(0);
      for (int j = 0; j < hits.size(); j++) {
        JsonNode hit = hits.get(j);
        String id = (hit.has("document") ? hit.get("document") : hit).path("id").asText(null);
        if (j >= alone.size() || !alone.get(j).id().equals(id)) {
          throw new AssertionError(
              "result "
                  + i
                  + " hit "
                  + j
                  + " is "
                  + id
                  + ", but query "
                  + queries.get(i)
                  + " alone gives "
                  + alone.stream().map(Passage::id).toList()
                  + ": "
                  + answer);
        }
      }
      if (explicit && hits.size() != Math.min(limit, alone.size())) {
        throw new AssertionError(
            "result " + i + " has " + hits.size() + " hits for topk " + topk + ": " + answer);
      }
    }
  }
}
