package io.github.dartrl.grpo.retrieval;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SearchR1HttpRetriever}.
 *
 * <p>A search makes at most {@code 1 + maxRetries} attempts. Each attempt is bounded by {@code
 * connectTimeout + readTimeout} (the read timeout covers the whole response, body included); before
 * retry {@code n} (1-based) the client sleeps {@code backoff * 2^(n-1)}, capped at 30 s. So a
 * search gives up after at most {@code (1 + maxRetries) * (connectTimeout + readTimeout) + the
 * back-off sleeps}.
 *
 * @param url the full endpoint, e.g. {@code http://127.0.0.1:8000/retrieve}
 * @param connectTimeout the TCP connect timeout
 * @param readTimeout the time allowed from sending the request to receiving the whole response
 * @param maxRetries retries after the first attempt on a 5xx or 429 status, a timeout or a
 *     connection failure (never on other 4xx statuses or a malformed response), 0 to 100
 * @param backoff the sleep before the first retry, doubled for each further one; zero allowed
 * @param maxResponseBytes the largest response body read; a larger one fails the search at once
 *     (not retried), so a misbehaving server cannot exhaust the heap
 */
public record HttpRetrieverConfig(
    URI url,
    Duration connectTimeout,
    Duration readTimeout,
    int maxRetries,
    Duration backoff,
    long maxResponseBytes) {

  /** The longest single back-off sleep. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /**
   * The default bound on a response body: 256 MiB, about 20 times a batch of 4096 queries with
   * three 1 KB passages each.
   */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 256L << 20;

  /** Settings with the default response bound ({@value #DEFAULT_MAX_RESPONSE_BYTES} bytes). */
  public HttpRetrieverConfig(
      URI url, Duration connectTimeout, Duration readTimeout, int maxRetries, Duration backoff) {
    this(url, connectTimeout, readTimeout, maxRetries, backoff, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** Validates the settings. */
  public HttpRetrieverConfig {
    Objects.requireNonNull(url, "url");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("url must be http or https, got " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("url has no host: " + url);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    if (maxRetries < 0 || maxRetries > 100) {
      throw new IllegalArgumentException("maxRetries must be in [0, 100], got " + maxRetries);
    }
    Objects.requireNonNull(backoff, "backoff");
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative, got " + backoff);
    }
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 1, got " + maxResponseBytes);
    }
  }

  /**
   * Defaults for a Search-R1 server at {@code url}: connect 5 s, read 60 s (a dense retriever
   * answering a batch of thousands of queries takes a while), 3 retries, back-off from 1 s.
   */
  public static HttpRetrieverConfig of(String url) {
    return new HttpRetrieverConfig(
        URI.create(url), Duration.ofSeconds(5), Duration.ofSeconds(60), 3, Duration.ofSeconds(1));
  }

  /** The same settings with another connect timeout. */
  public HttpRetrieverConfig withConnectTimeout(Duration timeout) {
    return new HttpRetrieverConfig(
        url, timeout, readTimeout, maxRetries, backoff, maxResponseBytes);
  }

  /** The same settings with another read timeout. */
  public HttpRetrieverConfig withReadTimeout(Duration timeout) {
    return new HttpRetrieverConfig(
        url, connectTimeout, timeout, maxRetries, backoff, maxResponseBytes);
  }

  /** The same settings with another retry count. */
  public HttpRetrieverConfig withMaxRetries(int retries) {
    return new HttpRetrieverConfig(
        url, connectTimeout, readTimeout, retries, backoff, maxResponseBytes);
  }

  /** The same settings with another initial back-off. */
  public HttpRetrieverConfig withBackoff(Duration initial) {
    return new HttpRetrieverConfig(
        url, connectTimeout, readTimeout, maxRetries, initial, maxResponseBytes);
  }

  /** The same settings with another bound on the response body. */
  public HttpRetrieverConfig withMaxResponseBytes(long bytes) {
    return new HttpRetrieverConfig(url, connectTimeout, readTimeout, maxRetries, backoff, bytes);
  }

  /** The sleep before retry {@code n} (1-based). */
  Duration backoffBefore(int retry) {
    Duration d = backoff;
    for (int i = 1; i < retry && d.compareTo(MAX_BACKOFF) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
