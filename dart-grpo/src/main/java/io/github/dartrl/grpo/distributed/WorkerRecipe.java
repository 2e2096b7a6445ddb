package io.github.dartrl.grpo.distributed;

import io.github.dartrl.grpo.train.ExecutorStep;
import java.io.Serializable;

/**
 * How an executor builds its worker: loads the backbone, wraps it in the run's policy (same method,
 * rank and targets as the driver's), opens the environment's tools (a BM25 index at a path every
 * node can read, or a retrieval URL) and returns an {@link ExecutorStep}. Shipped to executors by
 * Java serialization, so an implementation holds only paths, names and numbers. Called once per
 * executor JVM and {@link #modelKey()} ({@link ExecutorCache}).
 */
public interface WorkerRecipe extends Serializable {
  /**
   * Identifies the backbone: its path and a hash of its content ({@link ModelKey#of}); executors
   * keep one worker per key.
   */
  String modelKey();

  /** Builds the worker (runs on an executor). */
  ExecutorStep open();
}
