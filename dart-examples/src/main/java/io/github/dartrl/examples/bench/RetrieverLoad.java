package io.github.dartrl.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.FileTrees;
import io.github.dartrl.examples.harness.CliErrorHandler;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverServer;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A bounded loopback load test of {@link RetrieverServer}: builds a BM25 index over a generated
 * corpus, serves it on 127.0.0.1, and has {@code clients} concurrent clients send {@code requests}
 * single-query Search-R1 requests in total. Every response is checked (status 200, a {@code result}
 * list with one list of at most {@code topk} passages, each with string {@code contents}); anything
 * else counts as an error. The run stops by itself: after the planned requests, or at the deadline.
 *
 * <p>Writes {@code load.json} (the {@link LoadResult} plus settings and machine) and {@code
 * latencies.csv} (one row per request) to {@code --out}, and a summary to stdout. It refuses a
 * non-loopback target: this is a local test, never traffic to another machine; and an --out that is
 * not absent or empty.
 *
 * <pre>
 * DART4J_MAIN=io.github.dartrl.examples.bench.RetrieverLoad scripts/dart4j --clients 20 \
 *     --requests 10000 --out runs/load
 * </pre>
 */
@Command(
    name = "retriever-load",
    mixinStandardHelpOptions = true,
    description = "Bounded loopback load test of the retriever server.")
public final class RetrieverLoad implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--clients", defaultValue = "20", description = "Concurrent clients.")
  int clients;

  @Option(names = "--requests", defaultValue = "10000", description = "Requests in total.")
  int requests;

  @Option(names = "--passages", defaultValue = "20000", description = "Generated corpus size.")
  int passages;

  @Option(names = "--vocabulary", defaultValue = "20000", description = "Distinct words.")
  int vocabulary;

  @Option(names = "--topk", defaultValue = "3", description = "Passages per query.")
  int topK;

  @Option(names = "--server-threads", description = "Server workers (default: the server's).")
  Integer serverThreads;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(
      names = "--max-seconds",
      defaultValue = "600",
      description = "Deadline: stop sending after this long (default: ${DEFAULT-VALUE}).")
  int maxSeconds;

  @Option(names = "--out", defaultValue = "runs/load", description = "Output directory.")
  Path out;

  public static void main(String[] args) {
    System.exit(
        CliErrorHandler.withErrorHandling(new CommandLine(new RetrieverLoad())).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    OutputDir.requireNew(out, "--out"); // an earlier load.json is never overwritten
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("dart4j-load-");
    try {
      Path corpus = work.resolve("corpus.jsonl");
      Path index = work.resolve("index");
      RetrieverBenchmark.SyntheticCorpus generator =
          new RetrieverBenchmark.SyntheticCorpus(vocabulary, seed);
      List<String> docs = generator.write(corpus, passages);
      Bm25IndexBuilder.withDefaults().build(corpus, index);
      List<String> queries = generator.queries(docs, Math.min(requests, 5000), seed + 1);
      RetrieverServerConfig config = RetrieverServerConfig.defaults().withPort(0);
      if (serverThreads != null) {
        config = config.withThreads(serverThreads);
      }
      LoadResult r;
      try (LuceneBm25Retriever local = LuceneBm25Retriever.open(index);
          RetrieverServer server = RetrieverServer.start(local, config)) {
        System.err.printf(
            Locale.ROOT,
            "load: %d clients, %d requests to %s (%d passages, %d server threads)%n",
            clients,
            requests,
            server.url(),
            passages,
            config.threads());
        r =
            run(
                server.url(),
                queries,
                clients,
                requests,
                topK,
                Duration.ofSeconds(maxSeconds),
                out);
      }
      writeSummary(r, config);
      System.out.println(summary(r));
      return r.errors() == 0 && !r.stoppedByDeadline() ? 0 : 1;
    } finally {
      FileTrees.deleteTree(work);
    }
  }

  /**
   * Runs the load and writes {@code latencies.csv} to {@code outDir}.
   *
   * @param url a loopback {@code /retrieve} endpoint
   * @param queries query texts, used round-robin
   * @param deadline the run stops sending once this has passed
   * @throws IllegalArgumentException if {@code url} is not a loopback address
   */
  public static LoadResult run(
      URI url,
      List<String> queries,
      int clients,
      int requests,
      int topK,
      Duration deadline,
      Path outDir)
      throws Exception {
    if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException("load tests target loopback only, got " + url);
    }
    if (clients < 1 || requests < 1 || queries.isEmpty()) {
      throw new IllegalArgumentException("need clients, requests and queries");
    }
    long[] latencyNanos = new long[requests];
    int[] status = new int[requests];
    int[] clientOf = new int[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    long stopAt = start + deadline.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  // One client = one HttpClient with its own keep-alive connection.
                  HttpClient http =
                      HttpClient.newBuilder()
                          .version(HttpClient.Version.HTTP_1_1)
                          .connectTimeout(Duration.ofSeconds(10))
                          .build();
                  for (int i = next.getAndIncrement();
                      i < requests && System.nanoTime() < stopAt;
                      i = next.getAndIncrement()) {
                    clientOf[i] = client;
                    long t0 = System.nanoTime();
                    String error;
                    try {
                      HttpResponse<byte[]> resp =
                          http.send(
                              request(url, queries.get(i % queries.size()), topK),
                              HttpResponse.BodyHandlers.ofByteArray());
                      status[i] = resp.statusCode();
                      error = check(resp, topK);
                    } catch (IOException e) {
                      error = e.toString();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    latencyNanos[i] = System.nanoTime() - t0;
                    if (error == null) {
                      ok.incrementAndGet();
                    } else {
                      errors.incrementAndGet();
                      if (errorSamples.size() < 10) {
                        errorSamples.add("request " + i + ": " + error);
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int sent = ok.get() + errors.get();
    double[] ms = new double[sent];
    for (int i = 0; i < sent; i++) {
      ms[i] = latencyNanos[i] / 1e6;
    }
    writeLatencies(outDir, ms, status, clientOf);
    Arrays.sort(ms);
    return new LoadResult(
        clients,
        requests,
        sent,
        ok.get(),
        errors.get(),
        errorSamples,
        seconds,
        percentile(ms, 50),
        percentile(ms, 90),
        percentile(ms, 99),
        sent == 0 ? Double.NaN : ms[sent - 1],
        sent < requests);
  }

  private static HttpRequest request(URI url, String query, int topK) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("queries").add(query);
    body.put("topk", topK);
    body.put("return_scores", true);
    return HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  /** Null when the response is a well-formed answer to a one-query request, else why not. */
  static String check(HttpResponse<byte[]> resp, int topK) {
    if (resp.statusCode() != 200) {
      return "status " + resp.statusCode() + ": " + new String(resp.body(), StandardCharsets.UTF_8);
    }
    JsonNode root;
    try {
      root = JSON.readTree(resp.body());
    } catch (IOException e) {
      return "body is not JSON: " + e.getMessage();
    }
    JsonNode result = root == null ? null : root.get("result");
    if (result == null || !result.isArray() || result.size() != 1) {
      return "expected \"result\" with one list, got " + root;
    }
    JsonNode hits = result.get(0);
    if (!hits.isArray() || hits.size() > topK) {
      return "expected at most " + topK + " hits, got " + hits;
    }
    for (JsonNode hit : hits) {
      if (!hit.path("document").path("contents").isTextual() || !hit.path("score").isNumber()) {
        return "malformed hit " + hit;
      }
    }
    return null;
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void writeLatencies(Path dir, double[] ms, int[] status, int[] client)
      throws IOException {
    StringBuilder sb = new StringBuilder("request,client,status,latency_ms\n");
    for (int i = 0; i < ms.length; i++) {
      sb.append(i)
          .append(',')
          .append(client[i])
          .append(',')
          .append(status[i])
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", ms[i]))
          .append('\n');
    }
    writeAtomically(dir.resolve("latencies.csv"), sb.toString());
  }

  private void writeSummary(LoadResult r, RetrieverServerConfig config) throws IOException {
    ObjectNode n = JSON.valueToTree(r);
    n.put("requestsPerSecond", r.requestsPerSecond());
    n.put("passages", passages);
    n.put("topk", topK);
    n.put("serverThreads", config.threads());
    n.put("date", Instant.now().toString());
    n.put("cpu", Machine.cpuModel());
    n.put("cores", Runtime.getRuntime().availableProcessors());
    n.put("loadAverageAfter", Machine.loadAverage());
    writeAtomically(
        out.resolve("load.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
  }

  /** One line per figure, for logs and docs. */
  static String summary(LoadResult r) {
    return String.format(
        Locale.ROOT,
        "clients %d, requests %d/%d, ok %d, errors %d, %.1f s, %.0f req/s, latency ms p50 %.2f"
            + " p90 %.2f p99 %.2f max %.2f%s%s",
        r.clients(),
        r.sent(),
        r.planned(),
        r.ok(),
        r.errors(),
        r.seconds(),
        r.requestsPerSecond(),
        r.p50Ms(),
        r.p90Ms(),
        r.p99Ms(),
        r.maxMs(),
        r.stoppedByDeadline() ? " (STOPPED BY DEADLINE)" : "",
        r.errorSamples().isEmpty() ? "" : "\nfirst errors: " + r.errorSamples());
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}
