package io.github.dartrl.examples.cli;

import io.github.dartrl.grpo.retrieval.CachingRetriever;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverServer;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j serve-retriever}: serves a BM25 index over Search-R1's {@code POST /retrieve} API
 * until the process is stopped.
 */
@Command(
    name = "serve-retriever",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a BM25 index over Search-R1's HTTP API: POST /retrieve with"
          + " {\"queries\": [...], \"topk\": 3, \"return_scores\": true}.",
      "Binds to loopback unless --host says otherwise; the API has no authentication."
    })
public final class ServeRetrieverCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory.")
  Path index;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it).")
  String host;

  @Option(
      names = "--port",
      required = true,
      description = "TCP port (Search-R1 uses 8000; 0 picks a free one).")
  int port;

  @Option(
      names = "--topk",
      defaultValue = "3",
      description = "topk when a request gives none (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--max-topk",
      defaultValue = "100",
      description = "Largest topk accepted (default: ${DEFAULT-VALUE}).")
  int maxTopK;

  @Option(
      names = "--max-queries",
      defaultValue = "4096",
      description = "Most queries per request (default: ${DEFAULT-VALUE}).")
  int maxQueries;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "4194304",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(names = "--threads", description = "Worker threads (default: one per core, at least 2).")
  Integer threads;

  @Option(
      names = "--cache",
      defaultValue = "0",
      paramLabel = "N",
      description = "Cache up to N (query, topk) results; 0 disables (default: ${DEFAULT-VALUE}).")
  int cacheEntries;

  @Override
  public Integer call() throws InterruptedException {
    RetrieverServerConfig config;
    try {
      RetrieverServerConfig defaults = RetrieverServerConfig.defaults();
      config =
          new RetrieverServerConfig(
              host,
              port,
              defaults.path(),
              topK,
              maxTopK,
              maxQueries,
              maxBodyBytes,
              threads == null ? defaults.threads() : threads);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (cacheEntries < 0) {
      throw new ParameterException(spec.commandLine(), "--cache must be >= 0");
    }
    Retriever retriever = LuceneBm25Retriever.open(index);
    if (cacheEntries > 0) {
      retriever = new CachingRetriever(retriever, cacheEntries);
    }
    RetrieverServer server;
    try {
      server = RetrieverServer.start(retriever, config);
    } catch (RuntimeException e) {
      retriever.close();
      throw e;
    }
    Retriever served = retriever;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  served.close();
                  stopped.countDown();
                },
                "serve-retriever-shutdown"));
    spec.commandLine().getOut().printf("serving %s on %s (Ctrl-C to stop)%n", index, server.url());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
