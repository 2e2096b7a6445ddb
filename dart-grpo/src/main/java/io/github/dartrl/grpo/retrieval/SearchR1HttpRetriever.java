package io.github.dartrl.grpo.retrieval;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Retriever} that calls a Search-R1 retrieval server ({@code POST /retrieve}), or a {@link
 * RetrieverServer}, over HTTP.
 *
 * <p>Each batch is one request {@code {"queries": [...], "topk": k, "return_scores": true}}; the
 * response may use either {@code return_scores} form, with or without ids and scores (see {@link
 * SearchR1Json}). Lists longer than {@code topK} are cut to {@code topK}. Transient failures (5xx,
 * 429, timeouts, refused connections) are retried with exponential back-off as {@link
 * HttpRetrieverConfig} describes; after the last attempt, or at once on another 4xx status or a
 * malformed response or one larger than {@link HttpRetrieverConfig#maxResponseBytes()}, a {@link
 * RetrieverException} naming the URL is thrown.
 *
 * <p>Thread-safe: the underlying {@link HttpClient} is shared.
 */
public final class SearchR1HttpRetriever implements Retriever {

  private static final Logger LOG = LoggerFactory.getLogger(SearchR1HttpRetriever.class);

  private final HttpRetrieverConfig config;
  private final HttpClient client;

  /** A client with the given settings. */
  public SearchR1HttpRetriever(HttpRetrieverConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // Search-R1 runs uvicorn: no h2c upgrade dance
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A client for {@code url} with {@link HttpRetrieverConfig#of default settings}. */
  public static SearchR1HttpRetriever connect(String url) {
    return new SearchR1HttpRetriever(HttpRetrieverConfig.of(url));
  }

  /** The settings. */
  public HttpRetrieverConfig config() {
    return config;
  }

  @Override
  public List<List<Passage>> search(List<String> queries, int topK) {
    SearchArguments.check(queries, topK);
    if (queries.isEmpty()) {
      return List.of();
    }
    HttpRequest request =
        HttpRequest.newBuilder(config.url())
            .timeout(config.readTimeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    SearchR1Json.encodeRequest(queries, topK, true)))
            .build();
    int attempts = 1 + config.maxRetries();
    String lastFailure = null;
    Throwable lastCause = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        sleep(config.backoffBefore(attempt - 1).toMillis());
      }
      HttpResponse<byte[]> response;
      try {
        response = send(request);
      } catch (IOException | TimeoutException e) {
        lastFailure = describe(e);
        lastCause = e;
        LOG.warn(
            "retriever {} attempt {}/{} failed: {}", config.url(), attempt, attempts, lastFailure);
        continue;
      }
      int status = response.statusCode();
      if (status == 200) {
        return decode(response.body(), queries.size(), topK);
      }
      String message = "HTTP " + status + ": " + SearchR1Json.errorMessage(response.body());
      if (status >= 500 || status == 429) {
        lastFailure = message;
        lastCause = null;
        LOG.warn("retriever {} attempt {}/{} failed: {}", config.url(), attempt, attempts, message);
        continue;
      }
      throw new RetrieverException(
          "retriever " + config.url() + " rejected the request: " + message);
    }
    throw new RetrieverException(
        "retriever "
            + config.url()
            + " failed after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ": "
            + lastFailure,
        lastCause);
  }

  /** One attempt, bounded by connect + read timeout even if the server trickles its body. */
  private HttpResponse<byte[]> send(HttpRequest request) throws IOException, TimeoutException {
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, new BoundedBody(config.maxResponseBytes()));
    long limitMs = config.connectTimeout().plus(config.readTimeout()).toMillis();
    try {
      return future.get(limitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TimeoutException("no complete response within " + limitMs + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RetrieverException("interrupted while calling retriever " + config.url(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof BoundedBody.TooLarge) { // not transient: retrying would read it again
          throw new RetrieverException(
              "retriever " + config.url() + " sent an invalid response: " + t.getMessage(), t);
        }
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new RetrieverException(
          "calling retriever " + config.url() + " failed: " + cause, cause);
    }
  }

  private List<List<Passage>> decode(byte[] body, int queries, int topK) {
    List<List<Passage>> result;
    try {
      result = SearchR1Json.decodeResponse(body, queries);
    } catch (IllegalArgumentException e) {
      throw new RetrieverException(
          "retriever " + config.url() + " sent an invalid response: " + e.getMessage(), e);
    }
    return result.stream().map(hits -> hits.size() <= topK ? hits : hits.subList(0, topK)).toList();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetrieverException("interrupted while waiting to retry " + config.url(), e);
    }
  }

  private String describe(Exception e) {
    if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
      return "timed out (" + e.getMessage() + ")";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public String toString() {
    return "SearchR1HttpRetriever[" + config.url() + "]";
  }
}
