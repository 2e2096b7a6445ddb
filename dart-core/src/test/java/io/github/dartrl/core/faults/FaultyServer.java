package io.github.dartrl.core.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server at {@code /retrieve} that answers every request in one wrong way, and
 * counts the requests so a test can check how often the client retried.
 */
public final class FaultyServer implements AutoCloseable {

  /** How the server misbehaves. */
  public enum Mode {
    /** 503 with a JSON error body, every time. */
    UNAVAILABLE_503(503, "{\"error\": \"index is reloading\"}"),
    /** 400 with a FastAPI-style body: the client must not retry. */
    BAD_REQUEST_400(400, "{\"error\": \"topk must be <= 2\"}"),
    /** Never answers (until the server is closed). */
    HANG(0, null),
    /** 200 with a body cut off in the middle of the JSON. */
    MALFORMED_JSON(200, "{\"result\": [[{\"document\": {\"id\": \"1\", \"contents\": \"Par"),
    /** 200 with one flat list of hits instead of one list per query. */
    WRONG_NESTING(
        200,
        "{\"result\": [{\"document\": {\"id\": \"1\", \"contents\": \"\\\"Paris\\\"\\nx\"}},"
            + " {\"document\": {\"id\": \"2\", \"contents\": \"\\\"Lima\\\"\\ny\"}}]}"),
    /** 200 with one result list for two queries. */
    COUNT_MISMATCH(
        200, "{\"result\": [[{\"document\": {\"id\": \"1\", \"contents\": \"\\\"P\\\"\\nx\"}}]]}"),
    /** 200 with the lists under another key. */
    MISSING_RESULT(200, "{\"results\": [[], []]}"),
    /** 200 with a hit that has neither contents nor text. */
    HIT_WITHOUT_TEXT(200, "{\"result\": [[{\"document\": {\"id\": \"1\"}}], []]}"),
    /** 200 with a valid body of about 16 KB (the client under test allows 4 KiB). */
    OVERSIZED(
        200,
        "{\"result\": [[{\"document\": {\"id\": \"1\", \"contents\": \"\\\"P\\\"\\n"
            + "x".repeat(16_000)
            + "\"}}], []]}"),
    /** Nothing listens on the port: every connection is refused. */
    REFUSED(0, null);

    final int status;
    final String body;

    Mode(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private final Mode mode;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final AtomicInteger hits = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);

  private FaultyServer(Mode mode) throws IOException {
    this.mode = mode;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/retrieve", exchange -> handle(mode, exchange));
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/retrieve");
    if (mode == Mode.REFUSED) {
      server.stop(0);
    }
  }

  public static FaultyServer start(Mode mode) throws IOException {
    return new FaultyServer(mode);
  }

  public URI url() {
    return url;
  }

  public Mode mode() {
    return mode;
  }

  /** The number of requests received. */
  public int hits() {
    return hits.get();
  }

  private void handle(Mode mode, HttpExchange exchange) throws IOException {
    hits.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    if (mode == Mode.HANG) {
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    byte[] body = mode.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(mode.status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
