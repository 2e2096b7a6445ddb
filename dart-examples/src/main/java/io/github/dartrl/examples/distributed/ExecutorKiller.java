package io.github.dartrl.examples.distributed;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault of the cluster check: when a task of the chosen job starts, kill (SIGKILL) one executor
 * JVM that this JVM launched (Spark's local-cluster executors are its descendants; no other process
 * is touched). Spark then loses the executor's tasks and runs them again elsewhere.
 */
final class ExecutorKiller extends SparkListener {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorKiller.class);
  private final int job;
  private final AtomicBoolean done = new AtomicBoolean();
  private volatile int jobsStarted;
  private volatile long killedPid = -1;

  /**
   * @param job the 1-based Spark job whose first task start triggers the kill
   */
  ExecutorKiller(int job) {
    this.job = job;
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    jobsStarted++;
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart e) {
    if (jobsStarted != job || !done.compareAndSet(false, true)) {
      return;
    }
    Optional<ProcessHandle> victim =
        ProcessHandle.current()
            .descendants()
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .map(c -> c.contains("CoarseGrainedExecutorBackend"))
                        .orElse(false))
            .findFirst();
    if (victim.isEmpty()) {
      LOG.warn("no executor JVM to kill: are executors separate processes (local-cluster)?");
      return;
    }
    killedPid = victim.get().pid();
    LOG.warn("fault: killing executor JVM {} while task {} runs", killedPid, e.taskInfo().id());
    victim.get().destroyForcibly();
  }

  /** The pid killed, or -1. */
  long killedPid() {
    return killedPid;
  }
}
