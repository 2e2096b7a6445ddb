package io.github.dartrl.grpo.retrieval;

import com.google.auto.value.AutoBuilder;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link RetrieverServer}.
 *
 * <p>The defaults are safe on a shared machine: bind to loopback only, bounded request size, query
 * count and {@code topk}, a fixed number of worker threads.
 *
 * @param host the address to bind; {@code 127.0.0.1} by default. Binding to {@code 0.0.0.0} exposes
 *     an unauthenticated API to the network
 * @param port the TCP port; 0 picks a free ephemeral port (see {@link RetrieverServer#port()})
 * @param path the endpoint path, {@code /retrieve} as in Search-R1
 * @param defaultTopK the {@code topk} used when a request gives none (absent or null)
 * @param maxTopK the largest {@code topk} accepted
 * @param maxQueries the most queries accepted in one request
 * @param maxBodyBytes the largest request body accepted, in bytes
 * @param threads the worker threads serving requests
 * @param readTimeout how long a client may take to send a request's headers (from connecting) and,
 *     separately, its body; a slower client gets 408 or is disconnected, and never delays others
 */
public record RetrieverServerConfig(
    String host,
    int port,
    String path,
    int defaultTopK,
    int maxTopK,
    int maxQueries,
    int maxBodyBytes,
    int threads,
    Duration readTimeout) {

  /** Default {@link #readTimeout()}: generous for a loopback or LAN client, short for a stall. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** Validates the settings. */
  public RetrieverServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got " + path);
    }
    if (maxTopK < 1) {
      throw new IllegalArgumentException("maxTopK must be >= 1, got " + maxTopK);
    }
    if (defaultTopK < 1 || defaultTopK > maxTopK) {
      throw new IllegalArgumentException(
          "defaultTopK must be in [1, maxTopK=" + maxTopK + "], got " + defaultTopK);
    }
    if (maxQueries < 1) {
      throw new IllegalArgumentException("maxQueries must be >= 1, got " + maxQueries);
    }
    if (maxBodyBytes < 64) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 64, got " + maxBodyBytes);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("readTimeout must be >= 1 ms, got " + readTimeout);
    }
  }

  /** The settings with the default {@link #readTimeout()}. */
  public RetrieverServerConfig(
      String host,
      int port,
      String path,
      int defaultTopK,
      int maxTopK,
      int maxQueries,
      int maxBodyBytes,
      int threads) {
    this(
        host,
        port,
        path,
        defaultTopK,
        maxTopK,
        maxQueries,
        maxBodyBytes,
        threads,
        DEFAULT_READ_TIMEOUT);
  }

  /**
   * Loopback, Search-R1's port 8000 and path {@code /retrieve}, topk 3 (at most 100), at most 4096
   * queries (Search-R1 sends every active rollout's query in one batch: 512 prompts x 5 samples)
   * and 4 MiB per request, one worker thread per core (at least 2), 10 s to send a request.
   */
  public static RetrieverServerConfig defaults() {
    return new RetrieverServerConfig(
        "127.0.0.1",
        8000,
        "/retrieve",
        3,
        100,
        4096,
        4 << 20,
        Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  /** The same settings bound to another address. */
  public RetrieverServerConfig withHost(String newHost) {
    return toBuilder().host(newHost).build();
  }

  /** The same settings on another port (0 = ephemeral). */
  public RetrieverServerConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  /** The same settings with another default {@code topk}. */
  public RetrieverServerConfig withDefaultTopK(int k) {
    return toBuilder().defaultTopK(k).build();
  }

  /** The same settings with another largest {@code topk}. */
  public RetrieverServerConfig withMaxTopK(int k) {
    return toBuilder().maxTopK(k).build();
  }

  /** The same settings with another query-count limit. */
  public RetrieverServerConfig withMaxQueries(int n) {
    return toBuilder().maxQueries(n).build();
  }

  /** The same settings with another body-size limit. */
  public RetrieverServerConfig withMaxBodyBytes(int bytes) {
    return toBuilder().maxBodyBytes(bytes).build();
  }

  /** The same settings with another number of worker threads. */
  public RetrieverServerConfig withThreads(int n) {
    return toBuilder().threads(n).build();
  }

  /** The same settings with another {@link #readTimeout()}. */
  public RetrieverServerConfig withReadTimeout(Duration timeout) {
    return toBuilder().readTimeout(timeout).build();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new AutoBuilder_RetrieverServerConfig_Builder(this);
  }

  /** Builder for {@link RetrieverServerConfig} (generated); {@link #toBuilder()} gives one. */
  @AutoBuilder
  public interface Builder {
    /** The address to bind. */
    Builder host(String v);

    /** The TCP port (0 = ephemeral). */
    Builder port(int v);

    /** The endpoint path. */
    Builder path(String v);

    /** The {@code topk} used when a request gives none. */
    Builder defaultTopK(int v);

    /** The largest {@code topk} accepted. */
    Builder maxTopK(int v);

    /** The most queries accepted in one request. */
    Builder maxQueries(int v);

    /** The largest request body accepted, in bytes. */
    Builder maxBodyBytes(int v);

    /** The worker threads serving requests. */
    Builder threads(int v);

    /** How long a client may take to send a request's headers and, separately, its body. */
    Builder readTimeout(Duration v);

    /** The validated settings. */
    RetrieverServerConfig build();
  }
}
