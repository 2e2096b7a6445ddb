package io.github.dartrl.examples.real;

import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.distributed.SparkQaData;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Parquet QA data through Spark: the running session when there is one ({@code train-real
 * --spark-master}), else a local one-thread session started for the read and stopped after it. Only
 * {@link QaFiles} calls it, after checking that Spark is on the class path.
 */
final class ParquetQa {
  private ParquetQa() {}

  static QaDataset read(Path file) {
    scala.Option<SparkSession> running = SparkSession.getDefaultSession();
    if (running.isDefined()) {
      return SparkQaData.read(running.get(), file.toString());
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("dart4j read " + file.getFileName())
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      return SparkQaData.read(spark, file.toString());
    } finally {
      spark.stop();
    }
  }
}
