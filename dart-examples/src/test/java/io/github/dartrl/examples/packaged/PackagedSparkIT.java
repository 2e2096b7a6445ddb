package io.github.dartrl.examples.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code train-real --spark-master local[2]} through scripts/dart4j on the packaged jars, with a
 * Spark home as a cluster provides it (the build copies the pinned Spark into
 * target/spark-home/jars for this test only; the shipped target/lib has no Spark).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedSparkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  private Path work;
  private Path sparkHome;

  @BeforeAll
  void inputs() throws Exception {
    work = PackagedCli.newWorkDir("spark");
    sparkHome = Path.of(System.getProperty("dart4j.it.spark.home")).toAbsolutePath();
    String[][] facts = {
      {"paris", "france"}, {"berlin", "germany"}, {"rome", "italy"}, {"madrid", "spain"}
    };
    StringBuilder corpus = new StringBuilder();
    StringBuilder qa = new StringBuilder();
    StringBuilder words = new StringBuilder(PromptTemplate.SEARCH_R1_INSTRUCTION).append('\n');
    for (int i = 0; i < facts.length; i++) {
      String sentence = "the capital of " + facts[i][1] + " is " + facts[i][0] + " .";
      corpus.append(
          String.format(
              "{\"id\": \"%d\", \"contents\": \"\\\"%s\\\"\\n%s\"}%n", i, facts[i][1], sentence));
      qa.append(
          String.format(
              "{\"id\": \"q%d\", \"question\": \"what is the capital of %s\", \"golden_answers\":"
                  + " [\"%s\"], \"data_source\": \"nq\"}%n",
              i, facts[i][1], facts[i][0]));
      words.append("what is the capital of ").append(sentence).append('\n');
    }
    Files.writeString(work.resolve("corpus.jsonl"), corpus);
    Files.writeString(work.resolve("train.jsonl"), qa);
    Files.writeString(work.resolve("words.txt"), words);
    PackagedCli.dart4j(work, TIMEOUT, "create-tiny", "--out", "model", "--text", "words.txt")
        .succeeded();
    PackagedCli.dart4j(work, TIMEOUT, "index", "--corpus", "corpus.jsonl", "--index", "index")
        .succeeded();
  }

  private PackagedCli.Result trainReal(String sparkHomeDir, String out) throws Exception {
    List<String> command =
        List.of(
            PackagedCli.root().resolve("scripts/dart4j").toString(),
            "train-real",
            "--model",
            "model",
            "--train",
            "train.jsonl",
            "--index",
            "index",
            "--method",
            "DART",
            "--steps",
            "2",
            "--prompts-per-step",
            "2",
            "--group-size",
            "2",
            "--max-turns",
            "1",
            "--turn-tokens",
            "8",
            "--spark-master",
            "local[2]",
            "--spark-partitions",
            "2",
            "--out",
            out);
    return PackagedCli.run(work, TIMEOUT, Map.of("SPARK_HOME", sparkHomeDir), command);
  }

  @Test
  void trainRealTrainsOnSparkLocal2() throws Exception {
    try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("spark-sql_2.13-"));
    }
    PackagedCli.Result r = trainReal(sparkHome.toString(), "distributed").succeeded();
    // only SparkRollouts logs per-step costs and executors' backbone loads
    assertThat(r.err()).contains("SparkRollouts").contains("step 2: rollout");
    assertThat(r.err()).contains("loaded its backbone");
    Path out = work.resolve("distributed");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(Files.readAllLines(out.resolve("grpo/metrics.jsonl"))).hasSize(2);
    for (String a : List.of("reasoning", "tool")) {
      assertThat(out.resolve("adapters/" + a + "/adapter_model.safetensors")).isNotEmptyFile();
    }
  }

  @Test
  void sparkMasterWithoutSparkSaysWhatIsNeeded() throws Exception {
    Path empty = Files.createDirectories(work.resolve("no-spark-home"));
    PackagedCli.Result r = trainReal(empty.toString(), "refused");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("Spark is not on the class path").contains("SPARK_HOME");
  }

  @Test
  void parquetDataWithoutSparkSaysWhatIsNeeded() throws Exception {
    Path empty = Files.createDirectories(work.resolve("no-spark-home-data"));
    Files.createDirectories(work.resolve("train.parquet")); // as Spark writes one: a directory
    List<String> command =
        List.of(
            PackagedCli.root().resolve("scripts/dart4j").toString(),
            "train-real",
            "--model",
            "model",
            "--train",
            "train.parquet",
            "--index",
            "index",
            "--steps",
            "1",
            "--out",
            "parquet-refused");
    PackagedCli.Result r =
        PackagedCli.run(work, TIMEOUT, Map.of("SPARK_HOME", empty.toString()), command);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("--train")
        .contains("is Parquet, which dart4j reads through Spark")
        .contains("SPARK_HOME");
    assertThat(work.resolve("parquet-refused")).doesNotExist();
  }

  /** docs/scaling.md quotes the projection this command prints from the committed inputs. */
  @Test
  void scalingProjectionPrintsWhatTheDocsQuote() throws Exception {
    Path root = PackagedCli.root();
    Path results = root.resolve("docs/results/spark-costs-2026-12-07");
    PackagedCli.Result r =
        PackagedCli.dart4j(
                work,
                TIMEOUT,
                "scaling-projection",
                "--costs",
                results.resolve("spark-cluster.log").toString(),
                "--inputs",
                results.resolve("projection-inputs.json").toString())
            .succeeded();
    assertThat(r.out()).contains("| 64 |").contains("Assumptions:");
    assertThat(Files.readString(root.resolve("docs/scaling.md"))).contains(r.out().strip());
  }

  @Test
  void theShippedLibHasNoSpark() throws Exception {
    try (Stream<Path> jars = Files.list(PackagedCli.root().resolve("dart-examples/target/lib"))) {
      assertThat(jars.map(p -> p.getFileName().toString().toLowerCase()))
          .noneMatch(n -> n.contains("spark"));
    }
  }
}
