package io.github.dartrl.grpo.distributed;

import io.github.dartrl.grpo.train.ExecutorStep;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-JVM workers of an executor: one backbone replica per {@link WorkerRecipe#modelKey()},
 * loaded on first use and kept for the JVM's life (a backbone is loaded once per executor, not per
 * step). A worker runs one task at a time: tasks of one JVM that share a replica take turns (give
 * executors one core per replica, {@code spark.executor.cores=1}).
 */
public final class ExecutorCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCache.class);
  private static final Map<String, Entry> WORKERS = new ConcurrentHashMap<>();

  private ExecutorCache() {}

  /** A worker and how long loading it took. */
  static final class Entry {
    final ExecutorStep worker;
    final long loadNanos;
    boolean loadReported;

    Entry(ExecutorStep worker, long loadNanos) {
      this.worker = worker;
      this.loadNanos = loadNanos;
    }
  }

  /**
   * What a task did with a worker.
   *
   * @param loadNanos nanoseconds the load took if this task is the first to report it, else -1
   */
  record Used<T>(T value, long loadNanos) {}

  /** Runs {@code work} on this JVM's worker of {@code recipe}, loading it first if needed. */
  static <T> Used<T> use(WorkerRecipe recipe, Function<ExecutorStep, T> work) {
    Entry e =
        WORKERS.computeIfAbsent(
            recipe.modelKey(),
            key -> {
              long t0 = System.nanoTime();
              ExecutorStep w = recipe.open();
              long took = System.nanoTime() - t0;
              LOG.info("worker for {} loaded in {} s (once per JVM)", key, took / 1e9);
              return new Entry(w, took);
            });
    synchronized (e) {
      T value = work.apply(e.worker);
      long load = e.loadReported ? -1 : e.loadNanos;
      e.loadReported = true;
      return new Used<>(value, load);
    }
  }

  /** Closes and forgets every worker of this JVM (tests; executors just exit). */
  public static void clear() {
    WORKERS.values().forEach(e -> e.worker.close());
    WORKERS.clear();
  }
}
