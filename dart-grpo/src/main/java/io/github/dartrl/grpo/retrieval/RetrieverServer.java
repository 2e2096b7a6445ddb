package io.github.dartrl.grpo.retrieval;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 * <p>Slow clients cannot hold up others: the server (embedded Jetty) reads headers and bodies
 * without blocking a thread, a connection that has not sent its first request's headers within
 * {@code readTimeout} is closed, and a body not complete within {@code readTimeout} of its headers
 * gets 408 and a closed connection. Nothing here sets a JVM-wide property. Searches run on a fixed
 * pool of {@code threads} workers with a bounded queue ({@code 16 x threads}); when it is full a
 * request gets 503 (which {@link SearchR1HttpRetriever} retries): bounded memory, and no search
 * ever runs on one of Jetty's I/O threads. The server does not close the retriever it serves.
 */
public final class RetrieverServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetrieverServer.class);
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** Jetty's own threads: acceptor, selector and the few that complete reads and writes. */
  private static final int JETTY_THREADS = 12;

  private final Retriever retriever;
  private final RetrieverServerConfig config;
  private final Server server;
  private final ServerConnector connector;
  private final ThreadPoolExecutor workers;

  /** Connections that delivered a request's headers; the others are closed at the deadline. */
  private final Set<Connection> started = ConcurrentHashMap.newKeySet();

  private URI url;

  private RetrieverServer(Retriever retriever, RetrieverServerConfig config)
      throws UnknownHostException {
    this.retriever = retriever;
    this.config = config;
    InetAddress address = InetAddress.getByName(config.host());
    QueuedThreadPool jettyThreads = new QueuedThreadPool(JETTY_THREADS, 2);
    jettyThreads.setName("retriever-server-io");
    jettyThreads.setDaemon(true);
    this.server = new Server(jettyThreads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getHostAddress());
    connector.setPort(config.port());
    // a keep-alive connection may stay idle between requests longer than a request may take
    connector.setIdleTimeout(Math.max(30_000L, config.readTimeout().toMillis()));
    connector.addEventListener(new HeaderDeadline());
    server.addConnector(connector);
    server.setHandler(new Endpoint());
    this.workers =
        new ThreadPoolExecutor(
            config.threads(),
            config.threads(),
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(config.threads() * 16),
            daemonThreads(),
            new ThreadPoolExecutor.AbortPolicy());
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
      s.server.start();
    } catch (Exception e) {
      throw new RetrieverException(
          "cannot bind retriever server to " + config.host() + ":" + config.port() + ": " + e, e);
    }
    InetAddress bound;
    try {
      bound = InetAddress.getByName(s.connector.getHost());
      s.url = new URI("http", null, bound.getHostAddress(), s.port(), config.path(), null, null);
    } catch (UnknownHostException | URISyntaxException e) {
      s.close();
      throw new IllegalStateException(e);
    }
    if (!bound.isLoopbackAddress()) {
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
    return connector.getLocalPort();
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
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("retriever server {}: stopping failed: {}", url, e.toString());
    }
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

  /**
   * Closes a connection whose first request's headers have not arrived by the read deadline: Jetty
   * parses headers without a thread, but an idle timeout alone never fires on a client that sends
   * one byte every few seconds.
   */
  private final class HeaderDeadline implements Connection.Listener {
    @Override
    public void onOpened(Connection connection) {
      connector
          .getScheduler()
          .schedule(
              () -> {
                if (connection.getEndPoint().isOpen() && !started.contains(connection)) {
                  LOG.debug("closing {}: no request headers within the read timeout", connection);
                  connection.getEndPoint().close();
                }
              },
              config.readTimeout().toMillis(),
              TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(Connection connection) {
      started.remove(connection);
    }
  }

  /** The request handler: checks, then reads the body without blocking, then searches. */
  /**
   * Largest over-limit body (by {@code Content-Length}) that is read and dropped so the client can
   * read its 413; a larger one is answered at once and the connection closed.
   */
  static final long MAX_DRAIN_BYTES = 32L << 20;

  private final class Endpoint extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      started.add(request.getConnectionMetaData().getConnection());
      String path = request.getHttpURI().getPath();
      if (!config.path().equals(path)) {
        send(response, callback, 404, "no such path " + path + "; use POST " + config.path());
        return true;
      }
      if (!"POST".equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        send(response, callback, 405, "method " + request.getMethod() + " not allowed; use POST");
        return true;
      }
      if (request.getLength() > config.maxBodyBytes()) {
        if (request.getLength() > MAX_DRAIN_BYTES) {
          tooLarge(response, callback); // not worth reading: the client may see a reset instead
          return true;
        }
        // Read and drop the body before answering: closing a connection with unread bytes makes
        // TCP reset it, and the client then loses the 413 (seen under load). Bounded in time too.
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Content.Source.consumeAll(request, Callback.from(drained));
        drained
            .orTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((ok, failure) -> tooLarge(response, callback));
        return true;
      }
      CompletableFuture<byte[]> body =
          Content.Source.asByteArrayAsync(request, config.maxBodyBytes())
              .orTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
      body.whenComplete(
          (bytes, failure) -> {
            if (failure == null) {
              try {
                workers.execute(() -> search(bytes, response, callback));
              } catch (RejectedExecutionException busy) {
                // never search on a Jetty I/O thread: that would stall every connection
                send(response, callback, 503, "server busy; retry later");
              }
              return;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
              LOG.debug("request body not complete within {}", config.readTimeout());
              response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
              send(
                  response,
                  callback,
                  408,
                  "request body not received within " + config.readTimeout().toMillis() + " ms");
            } else if (cause instanceof IllegalStateException) {
              tooLarge(response, callback); // Jetty's "Max size exceeded" for a chunked body
            } else {
              callback.failed(cause); // the client went away; nothing to answer
            }
          });
      return true;
    }
  }

  private void search(byte[] body, Response response, Callback callback) {
    try {
      SearchR1Json.Request request;
      try {
        request = SearchR1Json.decodeRequest(body, config.maxQueries(), config.maxTopK());
      } catch (IllegalArgumentException e) {
        send(response, callback, 400, e.getMessage());
        return;
      }
      int topK = request.topK() == null ? config.defaultTopK() : request.topK();
      List<List<Passage>> result;
      try {
        result = retriever.search(request.queries(), topK);
      } catch (RuntimeException e) {
        LOG.error("retriever {} failed on {} queries", retriever, request.queries().size(), e);
        send(response, callback, 500, "retrieval failed; see the server log");
        return;
      }
      sendBytes(
          response, callback, 200, SearchR1Json.encodeResponse(result, request.returnScores()));
    } catch (RuntimeException | Error e) {
      LOG.error("unexpected failure serving a request", e);
      send(response, callback, 500, "internal server error; see the server log");
    }
  }

  private void tooLarge(Response response, Callback callback) {
    // Jetty reads and drops what the client still sends, or closes the connection past its limit
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
    send(
        response,
        callback,
        413,
        "request body exceeds "
            + config.maxBodyBytes()
            + " bytes (the server's limit; send fewer or shorter queries per request)");
  }

  private static void send(Response response, Callback callback, int status, String error) {
    sendBytes(response, callback, status, SearchR1Json.error(error));
  }

  private static void sendBytes(Response response, Callback callback, int status, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
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
