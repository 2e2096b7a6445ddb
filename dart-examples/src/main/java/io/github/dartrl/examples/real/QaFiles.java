package io.github.dartrl.examples.real;

import io.github.dartrl.grpo.data.QaDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The QA files of {@code train-real --train/--test}: FlashRAG JSONL read directly, and Search-R1's
 * Parquet (a {@code .parquet} file or directory: columns id, question, golden_answers, data_source)
 * read through Spark ({@link ParquetQa}), which must then be on the class path (Spark is provided:
 * scripts/dart4j adds {@code $SPARK_HOME/jars}).
 */
public final class QaFiles {
  private QaFiles() {}

  /** Reads {@code file}; {@code option} names it in errors (e.g. {@code --train}). */
  public static QaDataset read(Path file, String option) throws IOException {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      return QaDataset.readJsonl(file);
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(option + ": " + file + " does not exist");
    }
    if (!sparkPresent()) {
      throw new IllegalArgumentException(
          option
              + ": "
              + file
              + " is Parquet, which dart4j reads through Spark, and Spark is not on the class"
              + " path: set SPARK_HOME to a Spark 4.0 (Scala 2.13) installation (scripts/dart4j"
              + " adds $SPARK_HOME/jars), or give the data as JSONL");
    }
    return ParquetQa.read(file);
  }

  private static boolean sparkPresent() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, QaFiles.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
