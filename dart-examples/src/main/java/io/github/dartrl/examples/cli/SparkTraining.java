package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.compare.CompareMethod;
import io.github.dartrl.examples.distributed.SparkFlags;
import io.github.dartrl.examples.real.TrainReal;
import io.github.dartrl.examples.real.TrainRealConfig;
import io.github.dartrl.grpo.distributed.ModelKey;
import io.github.dartrl.grpo.distributed.SparkRollouts;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * {@code train-real --spark-master}: the same run with a Spark session; executors rebuild the run
 * from the command's own arguments ({@link TrainRealRecipe}) and this JVM keeps the loop, the
 * optimizer and the checkpoints.
 */
final class SparkTraining {
  private SparkTraining() {}

  static TrainReal.Result run(
      TrainRealConfig c, String master, int partitions, List<String> conf, String[] args) {
    try {
      Class.forName("org.apache.spark.sql.SparkSession");
    } catch (ClassNotFoundException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new TrainRealCommand()),
          "--spark-master: Spark is not on the class path; set SPARK_HOME to a Spark 4.0"
              + " (Scala 2.13) installation (scripts/dart4j adds $SPARK_HOME/jars)");
    }
    if (c.method() != CompareMethod.DART && c.method() != CompareMethod.LORA) {
      throw new IllegalArgumentException(
          "--spark-master: distributed training broadcasts adapters: --method DART or LORA, not "
              + c.method());
    }
    SparkSession.Builder b =
        SparkSession.builder()
            .master(master)
            .appName("dart4j train-real")
            .config("spark.ui.enabled", "false")
            .config("spark.executor.extraJavaOptions", SparkFlags.executorOptions());
    for (String kv : conf) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--spark-conf must be KEY=VALUE, got " + kv);
      }
      b.config(kv.substring(0, eq), kv.substring(eq + 1));
    }
    SparkSession spark = b.getOrCreate();
    try {
      int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
      TrainRealRecipe recipe = new TrainRealRecipe(args, ModelKey.of(c.model()));
      return TrainReal.run(c, g -> new SparkRollouts(spark, recipe, g, parts));
    } finally {
      spark.stop();
    }
  }
}
