package io.github.dartrl.examples.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.cli.CliRun;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.distributed.SearchR1Parquet;
import io.github.dartrl.grpo.metrics.MetricsLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train-real --train FILE.parquet --test FILE.parquet}: Search-R1's Parquet schema (written
 * here through Spark) read into the same examples as the equivalent JSONL, and a run trained on it.
 */
class TrainRealParquetTest {
  private static final List<CapitalsFixture.Fact> FACTS =
      CapitalsFixture.facts("nq", "hotpotqa", "nq", "nq", "nq", "hotpotqa");

  @TempDir static Path in;
  @TempDir Path tmp;

  @BeforeAll
  static void writeInputs() throws Exception {
    CapitalsFixture.writeData(in, FACTS);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < FACTS.size(); i++) {
      CapitalsFixture.Fact f = FACTS.get(i);
      rows.add(SearchR1Parquet.row("q" + i, f.question(), List.of(f.answer()), f.dataSource(), i));
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("write-parquet")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      SearchR1Parquet.write(spark, in.resolve("train.parquet").toString(), rows.subList(0, 4));
      SearchR1Parquet.write(spark, in.resolve("test.parquet").toString(), rows.subList(4, 6));
    } finally {
      spark.stop();
    }
    CapitalsFixture.createModel(in.resolve("model"), FACTS);
  }

  @Test
  void parquetReadsIntoTheJsonlExamples() throws Exception {
    QaDataset parquet = QaFiles.read(in.resolve("train.parquet"), "--train");
    QaDataset jsonl = QaFiles.read(in.resolve("train.jsonl"), "--train");
    assertThat(parquet.size()).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      QaExample p = parquet.get(i);
      QaExample j = jsonl.get(i);
      assertThat(List.of(p.id(), p.question(), p.goldenAnswers(), p.dataSource()))
          .isEqualTo(List.of(j.id(), j.question(), j.goldenAnswers(), j.dataSource()));
    }
    // the read started its own Spark session and stopped it
    assertThat(SparkSession.getDefaultSession().isDefined()).isFalse();
  }

  @Test
  void aRunningSessionReadsTheParquetAndStaysOpen() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("running")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try {
      QaDataset test = QaFiles.read(in.resolve("test.parquet"), "--test");
      assertThat(test.get(1).id()).isEqualTo("q5");
      assertThat(test.get(1).dataSource()).isEqualTo("hotpotqa");
      // train-real --spark-master's session: used, not stopped
      assertThat(spark.sparkContext().isStopped()).isFalse();
    } finally {
      spark.stop();
    }
  }

  @Test
  void aMissingParquetPathIsNamed() {
    assertThatThrownBy(() -> QaFiles.read(in.resolve("absent.parquet"), "--test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--test")
        .hasMessageContaining("absent.parquet does not exist");
  }

  @Test
  void trainRealTrainsOnParquet() throws Exception {
    Path out = tmp.resolve("out");
    List<String> args = new ArrayList<>(List.of("train-real"));
    args.addAll(CapitalsFixture.trainRealInputs(in, "train.parquet", "test.parquet"));
    args.addAll(List.of("--steps 1 --prompts-per-step 2 --group-size 2".split(" ")));
    args.addAll(List.of("--max-turns", "1", "--turn-tokens", "8", "--out", out.toString()));
    CliRun run = CliRun.of(args);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(1);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    // the test set's two Parquet rows, with their data_source
    assertThat(summary.get("test_count_by_source").get("nq").asInt()).isEqualTo(1);
    assertThat(summary.get("test_count_by_source").get("hotpotqa").asInt()).isEqualTo(1);
  }
}
