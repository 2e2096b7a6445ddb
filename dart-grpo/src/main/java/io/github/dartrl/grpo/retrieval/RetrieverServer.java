package io.github.dartrl.grpo.retrieval;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves any {@link Retriever} over Search-R1's HTTP API ({@code POST /retrieve}, see {@link
 * SearchR1Json}), so that Search-R1's Python rollouts, or a {@link SearchR1HttpRetriever} on
 * another machine, can use a Java index.
 *
 * <p>Bad requests get HTTP 400 with {@code {"error": "..."}}: malformed JSON, a missing or non-list
 * {@code queries}, a non-string query, more than {@code maxQueries} queries, a {@code topk} outside
 * [1, {@code maxTopK}], a non-boolean {@code return_scores}, JSON nested deeper than {@link
 * io.github.dartrl.core.io.UntrustedJson#MAX_NESTING_DEPTH} or a string over {@value
 * SearchR1Json#MAX_STRING_CHARS} characters. A body over {@code maxBodyBytes} gets 413 (checked
 * against {@code Content-Length} before reading, and while reading a chunked body, which is never
 * buffered past the limit). Another path gets 404, another method 405. A failing retriever gets 500
 * with a generic message; the details and stack trace go to the server log only.
 *
 * <p>Requests run on a fixed pool of {@code threads} workers with a bounded queue; when the queue
 * is full the accepting thread runs the request itself, which stops it accepting more:
 * back-pressure instead of unbounded memory. The server does not close the retriever it serves.
 */
public final class RetrieverServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetrieverServer.class);
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /**
   * How much of an oversized request body is read and thrown away before answering 413. Closing the
   * socket while a client is still sending makes its kernel reset the connection, and the reset
   * loses the 413 before the client reads it; past this amount the connection is dropped anyway.
   * Nothing discarded is kept, so memory stays bounded by {@code maxBodyBytes}.
   */
  static final long DRAIN_BYTES = 32L << 20;

  static {
    // The JDK server sends the headers and the body as two TCP segments; with Nagle's algorithm
    // the body then waits for the client's delayed ACK, about 40 ms per request on Linux.
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    // Without a deadline a client that starts a request and then stalls holds a worker forever;
    // the JDK server exposes no socket timeout, only this (seconds). Both properties are read once,
    // when the JVM's first HttpServer is created; an explicit setting wins.
    setIfAbsent("sun.net.httpserver.maxReqTime", "30");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final Retriever retriever;
  private final RetrieverServerConfig config;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final URI url;

  private RetrieverServer(Retriever retriever, RetrieverServerConfig config) throws IOException {
    this.retriever = retriever;
    this.config = config;
    InetAddress address = InetAddress.getByName(config.host());
    this.server = HttpServer.create(new InetSocketAddress(address, config.port()), 0);
    this.workers =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(config.threads() * 16),
            daemonThreads(),
            new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    int port = server.getAddress().getPort();
    try {
      this.url = new URI("http", null, address.getHostAddress(), port, config.path(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Binds and starts a server.
   *
   * @throws RetrieverException when the address cannot be bound (port in use, unknown host)
   */
  public static RetrieverServer start(Retriever retriever, RetrieverServerConfig config) {
    Objects.requireNonNull(retriever, "retriever");
    Objects.requireNonNull(config, "config");
    RetrieverServer s;
    try {
      s = new RetrieverServer(retriever, config);
    } catch (IOException e) {
      throw new RetrieverException(
          "cannot bind retriever server to " + config.host() + ":" + config.port() + ": " + e, e);
    }
    s.server.start();
    if (!s.server.getAddress().getAddress().isLoopbackAddress()) {
      LOG.warn(
          "retriever server listens on {}, reachable from the network; the API has no"
              + " authentication",
          s.url);
    }
    LOG.info("retriever server on {} serving {}", s.url, retriever);
    return s;
  }

  /** The bound port (the chosen one when the config asked for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The endpoint URL, e.g. {@code http://127.0.0.1:8000/retrieve}. */
  public URI url() {
    return url;
  }

  /** The settings. */
  public RetrieverServerConfig config() {
    return config;
  }

  /** Stops accepting, waits up to 5 s for running requests, and releases the port. */
  @Override
  public void close() {
    server.stop(0);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("retriever server {}: requests still running after 5 s", url);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("retriever server on {} stopped", url);
  }

  private void handle(HttpExchange exchange) {
    try {
      respond(exchange);
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.toString()); // nothing to answer on a broken connection
    } catch (RuntimeException | Error e) {
      LOG.error("unexpected failure serving {}", exchange.getRequestURI(), e);
      trySend(exchange, 500, "internal server error; see the server log");
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!config.path().equals(path)) {
      send(exchange, 404, "no such path " + path + "; use POST " + config.path());
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      send(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed; use POST");
      return;
    }
    byte[] body = readBody(exchange);
    if (body == null) {
      discard(exchange.getRequestBody(), DRAIN_BYTES);
      exchange.getResponseHeaders().set("Connection", "close");
      send(
          exchange,
          413,
          "request body exceeds "
              + config.maxBodyBytes()
              + " bytes (the server's limit; send fewer or shorter queries per request)");
      return;
    }
    SearchR1Json.Request request;
    try {
      request = SearchR1Json.decodeRequest(body, config.maxQueries(), config.maxTopK());
    } catch (IllegalArgumentException e) {
      send(exchange, 400, e.getMessage());
      return;
    }
    int topK = request.topK() == null ? config.defaultTopK() : request.topK();
    List<List<Passage>> result;
    try {
      result = retriever.search(request.queries(), topK);
    } catch (RuntimeException e) {
      LOG.error("retriever {} failed on {} queries", retriever, request.queries().size(), e);
      send(exchange, 500, "retrieval failed; see the server log");
      return;
    }
    sendBytes(exchange, 200, SearchR1Json.encodeResponse(result, request.returnScores()));
  }

  /** The body, or null when it is longer than the limit (checked before reading when declared). */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    int max = config.maxBodyBytes();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > max) {
          return null;
        }
      } catch (NumberFormatException e) {
        // HttpServer itself rejects a malformed Content-Length; read and let the limit decide
      }
    }
    InputStream in = exchange.getRequestBody();
    byte[] bytes = in.readNBytes(max + 1);
    if (bytes.length > max) {
      return null; // left open: the caller discards the rest before answering
    }
    in.close();
    return bytes;
  }

  /** Reads and drops up to {@code limit} bytes, in a small buffer. */
  private static void discard(InputStream in, long limit) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = limit;
    int n;
    while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
      left -= n;
    }
  }

  private static void send(HttpExchange exchange, int status, String error) throws IOException {
    sendBytes(exchange, status, SearchR1Json.error(error));
  }

  private static void sendBytes(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void trySend(HttpExchange exchange, int status, String error) {
    try {
      send(exchange, status, error);
    } catch (IOException | RuntimeException e) {
      // headers may already be sent; the connection is closed in handle()
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "retriever-server-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
