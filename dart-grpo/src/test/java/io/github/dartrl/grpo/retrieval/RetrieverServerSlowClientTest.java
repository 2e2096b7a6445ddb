package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that send headers or a body one byte at a time (loopback) neither delay other clients nor
 * hold a connection past the read timeout. With the JDK server these stalled every other request
 * for its 30 s {@code maxReqTime}.
 */
@Timeout(60)
class RetrieverServerSlowClientTest {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

  @TempDir Path tmp;
  private LuceneBm25Retriever local;
  private RetrieverServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    local = TestCorpus.index(tmp);
    server =
        RetrieverServer.start(
            local,
            RetrieverServerConfig.defaults()
                .withPort(0)
                .withThreads(2)
                .withReadTimeout(READ_TIMEOUT));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.close();
    local.close();
  }

  @Test
  void slowClientsDoNotDelayANormalRequestAndAreCutOffAtTheReadTimeout() throws Exception {
    String headersStart = "POST /retrieve HTTP/1.1\r\nHost: localhost\r\n";
    String fullHeaders =
        headersStart + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n";
    List<Socket> slowHeaders = new ArrayList<>();
    List<Socket> slowBodies = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // two of each: more than the server's two workers
      slowHeaders.add(dripper(headersStart, "X-Slow: " + "a".repeat(100)));
      slowBodies.add(dripper(fullHeaders, "{\"queries\": [\"" + "b".repeat(150)));
    }
    Thread.sleep(300); // the slow requests are in flight

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long t0 = System.nanoTime();
    HttpResponse<String> normal =
        http.send(
            HttpRequest.newBuilder(server.url())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": [\"Eiffel Tower\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(normal.statusCode()).isEqualTo(200);
    assertThat(normal.body()).contains("d2");
    assertThat(millis).as("normal request latency (ms)").isLessThan(2_500);

    // each slow body gets 408; each slow header connection is closed; both near the deadline
    for (Socket s : slowBodies) {
      String answer = readUntilClosed(s);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("not received within 3000 ms");
    }
    for (Socket s : slowHeaders) {
      assertThat(readUntilClosed(s)).doesNotContain("200");
    }
    // and no JVM-wide setting was needed for that
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isNull();
  }

  @Test
  void aFullWorkQueueAnswers503InsteadOfSearchingOnAnIoThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Retriever blocking =
        (queries, k) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return queries.stream().map(q -> List.<Passage>of()).toList();
        };
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (RetrieverServer one =
        RetrieverServer.start(
            blocking, RetrieverServerConfig.defaults().withPort(0).withThreads(1))) {
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) { // 1 running + 16 queued fit; the rest must not
        sent.add(
            http.sendAsync(
                HttpRequest.newBuilder(one.url())
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": [\"q\"]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (sent.stream().filter(CompletableFuture::isDone).count() < 3
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      release.countDown();
      int busy = 0;
      for (var f : sent) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 503) {
          busy++;
          assertThat(r.body()).contains("server busy");
        } else {
          assertThat(r.statusCode()).isEqualTo(200);
        }
      }
      assertThat(busy).isEqualTo(3);
    }
  }

  /** Opens a connection, sends {@code prefix} at once and then {@code drip} one byte per 500 ms. */
  private Socket dripper(String prefix, String drip) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    sockets.add(s);
    s.setSoTimeout(15_000);
    OutputStream out = s.getOutputStream();
    out.write(prefix.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    Thread t =
        new Thread(
            () -> {
              try {
                for (byte b : drip.getBytes(StandardCharsets.US_ASCII)) {
                  Thread.sleep(500);
                  out.write(b);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the server closed the connection: expected once the deadline passes
              }
            });
    t.setDaemon(true);
    t.start();
    return s;
  }

  /** What the server sends before closing; fails the test if it keeps the connection too long. */
  private static String readUntilClosed(Socket s) throws IOException {
    long t0 = System.nanoTime();
    StringBuilder text = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("server kept a slow connection open for 15 s", e);
    } catch (IOException e) {
      // reset by the server: closed as well
    }
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(READ_TIMEOUT.toMillis() + 3_000);
    return text.toString();
  }
}
