package io.github.dartrl.grpo.retrieval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body handler that collects at most {@code limit} bytes and fails with {@link TooLarge}
 * beyond that, cancelling the rest of the transfer. {@code BodyHandlers.ofByteArray()} has no
 * bound, so one misbehaving server could exhaust the heap.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

  /** The body exceeded the bound. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body larger than " + limit + " bytes (maxResponseBytes)");
    }
  }

  private final long limit;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    return new Collector(limit);
  }

  private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Collector(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (bytes.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          body.completeExceptionally(new TooLarge(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}
