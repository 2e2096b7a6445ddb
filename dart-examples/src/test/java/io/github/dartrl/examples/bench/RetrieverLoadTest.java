package io.github.dartrl.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverServer;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small version of the loopback load test (4 clients, 400 requests): no errors, every response
 * well-formed. No timing assertions; the full-size figures are in docs/reliability.md.
 */
class RetrieverLoadTest {

  @Test
  void fourClientsFourHundredRequestsAllSucceed(@TempDir Path tmp) throws Exception {
    RetrieverBenchmark.SyntheticCorpus generator = new RetrieverBenchmark.SyntheticCorpus(3000, 7);
    Path corpus = tmp.resolve("corpus.jsonl");
    List<String> docs = generator.write(corpus, 1000);
    Bm25IndexBuilder.withDefaults().build(corpus, tmp.resolve("index"));
    List<String> queries = generator.queries(docs, 100, 8);
    LoadResult r;
    try (LuceneBm25Retriever local = LuceneBm25Retriever.open(tmp.resolve("index"));
        RetrieverServer server =
            RetrieverServer.start(local, RetrieverServerConfig.defaults().withPort(0))) {
      r = RetrieverLoad.run(server.url(), queries, 4, 400, 3, Duration.ofMinutes(5), tmp);
    }
    assertThat(r.errorSamples()).isEmpty();
    assertThat(r.errors()).isZero();
    assertThat(r.sent()).isEqualTo(400);
    assertThat(r.ok()).isEqualTo(400);
    assertThat(r.stoppedByDeadline()).isFalse();
    assertThat(r.p50Ms()).isPositive().isLessThanOrEqualTo(r.p99Ms());
    assertThat(r.p99Ms()).isLessThanOrEqualTo(r.maxMs());
    List<String> csv = Files.readAllLines(tmp.resolve("latencies.csv"));
    assertThat(csv).hasSize(401).first().isEqualTo("request,client,status,latency_ms");
    assertThat(csv.subList(1, csv.size())).allMatch(l -> l.split(",")[2].equals("200"));
    assertThat(csv.stream().skip(1).map(l -> l.split(",")[1]).distinct()).hasSizeGreaterThan(1);
  }

  @Test
  void errorsAreCountedNotHidden(@TempDir Path tmp) throws Exception {
    // A server whose every search fails answers 500: each request must count as an error.
    try (RetrieverServer broken =
        RetrieverServer.start(
            (qs, k) -> {
              throw new IllegalStateException("down");
            },
            RetrieverServerConfig.defaults().withPort(0))) {
      LoadResult r =
          RetrieverLoad.run(broken.url(), List.of("q"), 2, 20, 3, Duration.ofMinutes(1), tmp);
      assertThat(r.sent()).isEqualTo(20);
      assertThat(r.errors()).isEqualTo(20);
      assertThat(r.errorSamples()).isNotEmpty().allMatch(s -> s.contains("status 500"));
    }
  }

  @Test
  void refusesNonLoopbackTargets(@TempDir Path tmp) {
    assertThatThrownBy(
            () ->
                RetrieverLoad.run(
                    URI.create("http://192.0.2.1:8000/retrieve"),
                    List.of("q"),
                    1,
                    1,
                    3,
                    Duration.ofSeconds(1),
                    tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback only");
  }
}
