package io.github.dartrl.grpo.distributed;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Search-R1's Parquet data in its own schema, for tests (here and in dart-examples). */
public final class SearchR1Parquet {
  private SearchR1Parquet() {}

  /** The columns of Search-R1's {@code nq_hotpotqa_train} (scripts/data_process/nq_search.py). */
  public static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("question", DataTypes.StringType)
          .add("golden_answers", DataTypes.createArrayType(DataTypes.StringType))
          .add("data_source", DataTypes.StringType)
          .add(
              "prompt",
              DataTypes.createArrayType(
                  new StructType()
                      .add("content", DataTypes.StringType)
                      .add("role", DataTypes.StringType)))
          .add("ability", DataTypes.StringType)
          .add(
              "reward_model",
              new StructType()
                  .add(
                      "ground_truth",
                      new StructType()
                          .add("target", DataTypes.createArrayType(DataTypes.StringType)))
                  .add("style", DataTypes.StringType))
          .add(
              "extra_info",
              new StructType().add("index", DataTypes.LongType).add("split", DataTypes.StringType));

  /** One row as Search-R1's data_process scripts write it. */
  public static Row row(String id, String q, List<String> answers, String source, long index) {
    return RowFactory.create(
        id,
        q,
        answers,
        source,
        List.of(RowFactory.create("Answer the given question. Question: " + q, "user")),
        "fact-reasoning",
        RowFactory.create(RowFactory.create(answers), "rule"),
        RowFactory.create(index, "train"));
  }

  /** Writes {@code rows} as one Parquet file into the directory {@code path}. */
  public static void write(SparkSession spark, String path, List<Row> rows) {
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(path);
  }
}
