package io.github.dartrl.grpo.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.grpo.data.DatasetFormatException;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search-R1's Parquet schema and JSONL read through Spark into the same QaExample rows. */
class SparkQaDataTest {
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("dart4j-data")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static Row row(String id, String q, List<String> answers, String source, long index) {
    return SearchR1Parquet.row(id, q, answers, source, index);
  }

  @Test
  void searchR1ParquetReadsIntoQaExamples(@TempDir Path dir) {
    String file = dir.resolve("train.parquet").toString();
    spark
        .createDataFrame(
            List.of(
                row(
                    "train_0",
                    "total number of death row inmates in the us?",
                    List.of("2,718"),
                    "nq",
                    0),
                row(
                    "train_1",
                    "who wrote the song?",
                    List.of("Ray Davies", "Davies"),
                    "hotpotqa",
                    1)),
            SearchR1Parquet.SCHEMA)
        .coalesce(1)
        .write()
        .parquet(file);

    QaDataset data = SparkQaData.read(spark, file);

    assertThat(data.size()).isEqualTo(2);
    QaExample second = data.get(1);
    assertThat(second.id()).isEqualTo("train_1");
    assertThat(second.question()).isEqualTo("who wrote the song?");
    assertThat(second.goldenAnswers()).containsExactly("Ray Davies", "Davies");
    assertThat(second.dataSource()).isEqualTo("hotpotqa");
    assertThat(data.get(0).goldenAnswers()).containsExactly("2,718");
    assertThat(second.extra().keySet())
        .containsExactly("prompt", "ability", "reward_model", "extra_info");
    assertThat(second.extra().get("ability")).isEqualTo("fact-reasoning");
    assertThat(second.extra().get("extra_info")).isEqualTo(Map.of("index", 1L, "split", "train"));
    assertThat(second.extra().get("reward_model"))
        .isEqualTo(
            Map.of(
                "ground_truth",
                Map.of("target", List.of("Ray Davies", "Davies")),
                "style",
                "rule"));
    assertThat(second.extra().get("prompt"))
        .isEqualTo(
            List.of(
                Map.of(
                    "content", "Answer the given question. Question: who wrote the song?",
                    "role", "user")));
  }

  @Test
  void jsonlThroughSparkEqualsTheLocalReader(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dev.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"a\",\"question\":\"who is it?\",\"golden_answers\":[\"x\",\"y\"],"
            + "\"data_source\":\"nq\",\"metadata\":{\"z\":1,\"b\":[1.5,null]}}\n"
            + "\n"
            + "{\"question\":\"what?\",\"id\":\"b\",\"golden_answers\":[\"w\"]}\n");

    QaDataset viaSpark = SparkQaData.read(spark, file.toString());

    assertThat(viaSpark.examples()).isEqualTo(QaDataset.readJsonl(file).examples());
    assertThat(viaSpark.get(0).extra().get("metadata"))
        .isEqualTo(QaDataset.readJsonl(file).get(0).extra().get("metadata"));
  }

  @Test
  void aParquetFileWithoutAnswersIsRefusedByName(@TempDir Path dir) {
    String file = dir.resolve("bad.parquet").toString();
    StructType noAnswers =
        new StructType().add("id", DataTypes.StringType).add("question", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("1", "q?")), noAnswers).write().parquet(file);

    assertThatThrownBy(() -> SparkQaData.read(spark, file))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("bad.parquet")
        .hasMessageContaining("golden_answers")
        .hasMessageContaining("missing column");
  }
}
