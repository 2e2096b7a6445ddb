package io.github.dartrl.examples.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.real.CapitalsFixture;
import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every {@code dart4j} subcommand's smoke path, run as a user runs it: {@code scripts/dart4j} in a
 * separate JVM on the packaged jar and {@code dart-examples/target/lib}, on tiny inputs made here.
 * Each test checks what the command printed or wrote, not only its exit code. A dependency missing
 * from the runtime classpath (commons-math3 was: test-scoped through JMH, so every in-process test
 * passed) fails here. Runs in the integration-test phase of {@code ./mvnw verify}; the order
 * matters where a later command reads an earlier one's output (the tiny model, the index).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SHORT = Duration.ofMinutes(3);
  private static final Duration LONG = Duration.ofMinutes(8);

  /** A script that starts several jobs in turn (a study's warm start and runs, two worlds). */
  private static final Duration SCRIPT = Duration.ofMinutes(15);

  /**
   * train-real's rollout settings (one tool call, 12 tokens a turn), which the {@code eval} that
   * reproduces its test EM must repeat.
   */
  private static final String ROLLOUT = "--max-turns 1 --turn-tokens 12";

  /** Train questions the three-role probe rolls out (enough for groups that query SQL). */
  private static final String SQL_PROBE_QUERIES = "96";

  private Path work;
  private Path model;
  private Path index;

  @BeforeAll
  void inputs() throws Exception {
    work = PackagedCli.newWorkDir("cli");
    List<CapitalsFixture.Fact> facts = CapitalsFixture.facts();
    CapitalsFixture.writeData(work, facts);
    Files.write(work.resolve("words.txt"), CapitalsFixture.vocabularyText(facts));
    model = work.resolve("model");
    index = work.resolve("index");
  }

  private PackagedCli.Result dart4j(Duration timeout, String... args) throws Exception {
    return PackagedCli.dart4j(work, timeout, args).succeeded();
  }

  /** {@link #dart4j} with the arguments written as one line (none of them holds a space). */
  private PackagedCli.Result dart4jLine(Duration timeout, String commandLine) throws Exception {
    return dart4j(timeout, commandLine.split(" +"));
  }

  /**
   * One version of each library on scripts/dart4j's class path: copy-dependencies never removes a
   * jar, and after a version bump the old logback beside the new one killed the CLI at start-up.
   */
  @Test
  @Order(0)
  void theRuntimeClassPathHoldsOneVersionOfEachLibrary() throws Exception {
    Pattern jar = Pattern.compile("(.+?)-(\\d[^-]*)(-.*)?\\.jar");
    Map<String, java.util.Set<String>> versions = new java.util.TreeMap<>();
    try (var files = Files.list(PackagedCli.root().resolve("dart-examples/target/lib"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = jar.matcher(f.getFileName().toString());
        assertThat(m.matches()).as("a versioned jar: %s", f).isTrue();
        versions.computeIfAbsent(m.group(1), k -> new java.util.TreeSet<>()).add(m.group(2));
      }
    }
    assertThat(versions).isNotEmpty();
    versions.forEach(
        (name, v) -> assertThat(v).as("versions of %s in target/lib", name).hasSize(1));
  }

  @Test
  @Order(1)
  void createTinyWritesAModelDirectory() throws Exception {
    PackagedCli.Result r =
        dart4jLine(
            SHORT,
            "create-tiny --out model --text words.txt --hidden 32 --layers 2 --heads 4"
                + " --kv-heads 2 --intermediate 64 --max-positions 1024 --seed 1");
    assertThat(r.out()).startsWith("created model: 2 layers, d=32");
    JsonNode config = JSON.readTree(model.resolve("config.json").toFile());
    assertThat(config.get("hidden_size").asInt()).isEqualTo(32);
    assertThat(config.get("num_hidden_layers").asInt()).isEqualTo(2);
    assertThat(model.resolve("model.safetensors")).isNotEmptyFile();
    JsonNode vocab = JSON.readTree(model.resolve("tokenizer.json").toFile()).at("/model/vocab");
    assertThat(vocab.has("lisbon")).isTrue();
  }

  @Test
  @Order(2)
  void generatePrintsTokensWithLogProbs() throws Exception {
    PackagedCli.Result r =
        dart4j(
            SHORT,
            "generate",
            "-m",
            "model",
            "-p",
            "what is the capital of france",
            "--max-new-tokens",
            "5",
            "--json");
    JsonNode g = JSON.readTree(r.out());
    assertThat(g.get("tokens").size()).isBetween(1, 5);
    for (JsonNode t : g.get("tokens")) {
      assertThat(t.get("logprob").asDouble()).isLessThanOrEqualTo(0.0);
      assertThat(t.get("text").isTextual()).isTrue();
    }
    assertThat(g.get("finish_reason").asText()).isIn("length", "stop", "eos");
  }

  @Test
  @Order(3)
  void scorePrintsOneLogProbPerToken() throws Exception {
    PackagedCli.Result r =
        dart4j(SHORT, "score", "-m", "model", "--text", "the capital of france is paris .");
    JsonNode s = JSON.readTree(r.out());
    JsonNode tokens = s.get("tokens");
    assertThat(tokens.size()).isEqualTo(7); // word-level: one token per word
    assertThat(tokens.get(0).get("logprob").isNull()).isTrue();
    double sum = 0;
    for (int i = 1; i < tokens.size(); i++) {
      double lp = tokens.get(i).get("logprob").asDouble();
      assertThat(lp).isNegative();
      sum += lp;
    }
    assertThat(s.get("total_logprob").asDouble())
        .isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  @Order(4)
  void indexBuildsTheCorpus() throws Exception {
    PackagedCli.Result r = dart4j(SHORT, "index", "--corpus", "corpus.jsonl", "--index", "index");
    assertThat(r.out()).startsWith("indexed 6 passages from corpus.jsonl into " + index);
    assertThat(index.resolve("dart4j-index.json")).isRegularFile();
  }

  @Test
  @Order(5)
  void searchFindsThePassageThatAnswers() throws Exception {
    PackagedCli.Result r =
        dart4j(SHORT, "search", "--index", "index", "--topk", "2", "capital of italy", "germany");
    JsonNode results = JSON.readTree(r.out());
    assertThat(results.size()).isEqualTo(2);
    assertThat(results.get(0).get("query").asText()).isEqualTo("capital of italy");
    assertThat(results.get(0).at("/passages/0/id").asText()).isEqualTo("2");
    assertThat(results.get(0).at("/passages/0/text").asText()).contains("rome");
    assertThat(results.get(1).at("/passages/0/id").asText()).isEqualTo("1");
  }

  @Test
  @Order(6)
  void serveRetrieverAnswersAPostThenStops() throws Exception {
    Path log = work.resolve("serve.out");
    ProcessBuilder b =
        PackagedCli.builder(
                work,
                List.of(
                    PackagedCli.root().resolve("scripts/dart4j").toString(),
                    "serve-retriever",
                    "--index",
                    "index",
                    "--port",
                    "0"))
            .redirectOutput(log.toFile())
            .redirectError(work.resolve("serve.err").toFile());
    Process p = b.start();
    try {
      String url = awaitUrl(p, log);
      HttpResponse<String> res =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"queries\": [\"capital of spain\", \"austria\"], \"topk\": 1,"
                                  + " \"return_scores\": true}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      JsonNode result = JSON.readTree(res.body()).get("result");
      assertThat(result.size()).isEqualTo(2);
      assertThat(result.get(0).size()).isEqualTo(1);
      assertThat(result.at("/0/0/document/id").asText()).isEqualTo("3");
      assertThat(result.at("/0/0/document/contents").asText()).contains("madrid");
      assertThat(result.at("/1/0/document/id").asText()).isEqualTo("5");
      assertThat(result.at("/0/0/score").asDouble()).isPositive();
    } finally {
      p.destroy(); // SIGTERM: the shutdown hook closes the server and the index
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("serve-retriever stops on SIGTERM").isTrue();
  }

  private static String awaitUrl(Process p, Path log) throws Exception {
    Pattern serving = Pattern.compile("serving .* on (http://127\\.0\\.0\\.1:\\d+/retrieve)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
          for (String line; (line = r.readLine()) != null; ) {
            Matcher m = serving.matcher(line);
            if (m.find()) {
              return m.group(1);
            }
          }
        }
      }
      assertThat(p.isAlive())
          .as("serve-retriever exited early: %s", Files.readString(log))
          .isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError("serve-retriever printed no URL within 120 s");
  }

  @Test
  @Order(7)
  void trainRealWritesAdaptersThatReload() throws Exception {
    PackagedCli.Result r =
        dart4jLine(
            LONG,
            "train-real --model model --train train.jsonl --test test.jsonl --index index"
                + " --method DART --steps 1 --prompts-per-step 2 --group-size 2 --micro-batch 4 "
                + ROLLOUT
                + " --lr 1e-3 --checkpoint-every 1 --out real");
    assertThat(r.out()).contains("DART: 1 steps").contains("test EM");
    Path real = work.resolve("real");
    JsonNode summary = JSON.readTree(real.resolve("summary.json").toFile());
    assertThat(summary.get("steps").asInt()).isEqualTo(1);
    assertThat(summary.get("method").asText()).isEqualTo("DART");
    for (String a : List.of("reasoning", "tool")) {
      assertThat(real.resolve("adapters/" + a + "/adapter_model.safetensors")).isNotEmptyFile();
    }
    // the saved adapters load again in another command
    PackagedCli.Result g =
        dart4j(
            SHORT,
            "generate",
            "-m",
            "model",
            "--adapters",
            "real/adapters",
            "-p",
            "what is the capital of spain",
            "--max-new-tokens",
            "3",
            "--json");
    assertThat(JSON.readTree(g.out()).get("tokens").size()).isBetween(1, 3);
    // and evaluating them reproduces the test EM the run recorded
    PackagedCli.Result e =
        dart4jLine(
            SHORT,
            "eval --model model --adapters real/adapters --data test.jsonl --index index "
                + ROLLOUT
                + " --out real-eval");
    assertThat(e.out()).contains("on 2 questions");
    JsonNode eval = JSON.readTree(work.resolve("real-eval/eval.json").toFile());
    assertThat(eval.get("em").asDouble()).isEqualTo(summary.get("test_em").asDouble());
    assertThat(eval.get("search_rate").asDouble())
        .isEqualTo(summary.get("test_search_rate").asDouble());
    assertThat(work.resolve("real-eval/em_by_source.csv")).isNotEmptyFile();
    assertThat(Files.readAllLines(work.resolve("real-eval/results.jsonl"))).hasSize(2);
    // and merge into a standard HF model that scores on its own
    PackagedCli.Result merged =
        dart4j(
            SHORT,
            "merge",
            "-m",
            "model",
            "--adapters",
            "real/adapters",
            "--role",
            "TOOL",
            "--out",
            "merged");
    assertThat(merged.out()).contains("merged adapter tool");
    assertThat(work.resolve("merged/config.json")).isNotEmptyFile();
    PackagedCli.Result s =
        dart4j(SHORT, "score", "-m", "merged", "--text", "the capital of spain is madrid .");
    assertThat(JSON.readTree(s.out()).get("tokens").size()).isGreaterThan(1);
  }

  @Test
  @Order(8)
  void leasAttributionReanalysesACountTable() throws Exception {
    StringBuilder table = new StringBuilder();
    String[] models = {"Base", "Reas", "Tool", "Unified", "H_Tool", "H_Reas"};
    for (int q = 0; q < 3; q++) {
      table.append("{\"id\":\"q").append(q).append("\",\"question\":\"x\",\"k\":{");
      for (int m = 0; m < 6; m++) {
        table.append(m > 0 ? "," : "").append('"').append(models[m]).append("\":");
        table.append((m + q) % 5);
      }
      table.append("},\"n\":{");
      for (int m = 0; m < 6; m++) {
        table.append(m > 0 ? "," : "").append('"').append(models[m]).append("\":4");
      }
      table.append("}}\n");
    }
    Files.writeString(work.resolve("counts.jsonl"), table);
    PackagedCli.Result r =
        dart4j(
            SHORT,
            "leas",
            "attribution",
            "--counts",
            "counts.jsonl",
            "--out",
            "attribution",
            "--bootstrap",
            "200");
    assertThat(r.out()).contains("# CEA / LEAS attribution").contains("| lambda23 |");
    Path out = work.resolve("attribution");
    JsonNode j = JSON.readTree(out.resolve("attribution.json").toFile());
    assertThat(j.get("questions_total").asInt()).isEqualTo(3);
    assertThat(out.resolve("attribution_summary.md")).isNotEmptyFile();
    assertThat(out.resolve("attribution.csv")).isNotEmptyFile();
    assertThat(out.resolve("lambda23.png")).isNotEmptyFile();

    // the power of the λ23 reading on the same table: a tiny grid, every file, no overwrite
    List<String> power =
        List.of(
            "leas",
            "power",
            "--counts",
            "counts.jsonl",
            "--out",
            "power",
            "--samples",
            "4",
            "--delta",
            "0,-2",
            "--share",
            "1",
            "--simulations",
            "5",
            "--null-replicates",
            "20",
            "--bootstrap",
            "20");
    PackagedCli.Result p = dart4j(SHORT, power.toArray(String[]::new));
    assertThat(p.out()).contains("# Power of the λ23 reading").contains("| 4 | -2.00 | 100.0% |");
    JsonNode pj = JSON.readTree(work.resolve("power/power.json").toFile());
    assertThat(pj.get("cells").size()).isEqualTo(2);
    assertThat(pj.get("questions").asInt()).isEqualTo(3);
    for (String f : List.of("power.csv", "power.md", "power.png")) {
      assertThat(work.resolve("power").resolve(f)).isNotEmptyFile();
    }
    PackagedCli.Result again = PackagedCli.dart4j(work, SHORT, power.toArray(String[]::new));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("output directory is not empty");
  }

  @Test
  @Order(9)
  void quickstartScriptSmokeRunsIntoARelativeDirectory() throws Exception {
    PackagedCli.Result r =
        PackagedCli.run(
                work,
                LONG,
                Map.of(),
                List.of(
                    PackagedCli.root().resolve("scripts/quickstart.sh").toString(),
                    "quickstart",
                    "--smoke"))
            .succeeded();
    assertThat(r.out()).contains("test EM").contains("after 2 GRPO steps");
    Path qs = work.resolve("quickstart"); // relative to where the script was started
    assertThat(qs.resolve("summary.md")).isNotEmptyFile();
    assertThat(JSON.readTree(qs.resolve("summary.json").toFile()).get("grpo_steps").asInt())
        .isEqualTo(2);
    assertThat(qs.resolve("adapters/dart.json")).isRegularFile();
    assertThat(qs.resolve("grpo/metrics.jsonl")).isNotEmptyFile();

    // the summary's reproduction line: eval on the saved files gives the same responses
    dart4j(LONG, "eval", "@" + qs.resolve("eval.args"), "--out", "quickstart-eval");
    assertThat(Files.readAllLines(work.resolve("quickstart-eval/results.jsonl")))
        .containsExactlyElementsOf(Files.readAllLines(qs.resolve("eval-after.jsonl")));
  }

  @Test
  @Order(10)
  void compareSmokeComparesEveryMethod() throws Exception {
    PackagedCli.Result r = dart4j(LONG, "compare", "--smoke", "--out", "compare");
    assertThat(r.out()).contains("4 runs, 2 GRPO steps each");
    Path out = work.resolve("compare");
    List<String> methods =
        Files.readAllLines(out.resolve("results.jsonl")).stream()
            .map(line -> readJson(line).get("method").asText())
            .distinct()
            .toList();
    assertThat(methods).containsExactlyInAnyOrder("DART", "LORA", "FULL", "TWO_AGENT");
    assertThat(out.resolve("summary.md")).isNotEmptyFile();
  }

  @Test
  @Order(11)
  void interferenceSmokeAttributesAndProbes() throws Exception {
    // through scripts/leas-controls.sh: the default world (negative control) and the conflict world
    // (positive control) side by side
    String script = PackagedCli.root().resolve("scripts/leas-controls.sh").toString();
    // --lora-rank reaches the variants' adapter (the smoke preset's is rank 4, alpha 8)
    List<String> controls = List.of(script, "controls", "--smoke", "--lora-rank", "2");
    PackagedCli.Result r = PackagedCli.run(work, SCRIPT, Map.of(), controls).succeeded();
    assertThat(r.out())
        .contains("default: interference ->")
        .contains("conflict: interference ->")
        .contains("greedy EM: Base")
        .contains("identical-models null")
        .contains("side by side:");
    Path out = work.resolve("controls/conflict");
    String md = Files.readString(out.resolve("summary.md"));
    assertThat(md)
        .contains("- World: conflict (alias index on")
        .contains("Batch-split angles")
        .contains("LoRA rank 2 (alpha 4) on all projections");
    Path sideBySide;
    try (var files = Files.list(work.resolve("controls"))) {
      sideBySide =
          files
              .filter(f -> f.getFileName().toString().startsWith("controls-"))
              .findFirst()
              .orElseThrow();
    }
    // first the compact tables of `leas controls`, with a reading for every run and target
    assertThat(Files.readString(sideBySide))
        .contains("Made by `scripts/dart4j leas controls --run default=")
        .contains("| run | Base greedy EM | kept / sampled | streams | λ23 < 0 [95% CI] |")
        .containsPattern(
            "\\| default \\| [0-9.]+ \\| [0-9]+ / [0-9]+ \\| independent \\| [0-9.]+% \\[")
        .contains("| conflict | base-full | – | no batch angles: no query had mixed rewards")
        .containsPattern("(detected|below the null|consistent with the null) \\|")
        .contains("## world: default")
        .contains("## world: conflict")
        .contains("- World: default (the negative control)")
        .contains("Batch-split angles");
    assertThat(work.resolve("controls/default/attribution/counts.jsonl")).isNotEmptyFile();
    // a rerun with the same settings skips the finished world
    PackagedCli.Result again = PackagedCli.run(work, SHORT, Map.of(), controls).succeeded();
    assertThat(again.out())
        .contains("default: done")
        .contains("conflict: done")
        .doesNotContain("interference ->");
    // the tables again by hand, into a file; a malformed --run and an existing --out are refused
    PackagedCli.Result table =
        dart4j(SHORT, "leas", "controls", "--run", "conflict=controls/conflict", "--out", "t.md");
    assertThat(work.resolve("t.md")).hasContent(table.out());
    PackagedCli.Result again2 =
        PackagedCli.dart4j(
            work,
            SHORT,
            "leas",
            "controls",
            "--run",
            "conflict=controls/conflict",
            "--out",
            "t.md");
    assertThat(again2.exit()).isEqualTo(2);
    assertThat(again2.err()).contains("--out t.md exists; it is never overwritten");
    PackagedCli.Result malformed =
        PackagedCli.dart4j(work, SHORT, "leas", "controls", "--run", "controls/conflict");
    assertThat(malformed.exit()).isEqualTo(2);
    assertThat(malformed.err()).contains("expected NAME=DIR");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("config").get("world").asText()).isEqualTo("conflict");
    assertThat(summary.get("variants").has("Unified")).isTrue();
    assertThat(out.resolve("attribution/counts.jsonl")).isNotEmptyFile();
    // the default world's smoke Base has mixed-reward groups to probe; the conflict world's (a
    // d=32 model on the harder world) has none, and its summary says so for every target
    assertThat(work.resolve("controls/default/probe/base-lora/probe.json")).isNotEmptyFile();
    assertThat(md).contains("no batch angles: no query had mixed rewards");
  }

  /**
   * On the interference run's warm start: a random model never answers, so nothing to compare. The
   * smoke warm start answers a few percent of questions, so the probe takes 128 train questions to
   * be sure of several mixed-reward groups (7 on this machine; rewards read the model's own text
   * only, so the corrective message no longer makes groups mixed).
   */
  @Test
  @Order(12)
  void leasProbeMeasuresAnglesOnAWarmStartedModel() throws Exception {
    Path base = work.resolve("controls/default");
    PackagedCli.Result r =
        dart4j(
            LONG,
            "leas",
            "probe",
            "-m",
            base.resolve("model-sft").toString(),
            "--method",
            "lora",
            "--data",
            base.resolve("world/train.jsonl").toString(),
            "--index",
            base.resolve("index").toString(),
            "--limit",
            "128",
            "--group-size",
            "8",
            "--queries-per-rollout",
            "8",
            "--max-turns",
            "2",
            "--turn-tokens",
            "24",
            "--obs-tokens",
            "64",
            "--out",
            "probe");
    assertThat(r.out()).contains("# Gradient-angle probe").contains("report written to");
    JsonNode probe = JSON.readTree(work.resolve("probe/probe.json").toFile());
    assertThat(probe.at("/counts/queries").asInt()).isEqualTo(128);
    assertThat(probe.at("/counts/mixedGroups").asInt()).isPositive();
    assertThat(probe.at("/summaries/inter_role/n").asInt()).isPositive();
    assertThat(work.resolve("probe/angles.png")).isNotEmptyFile();
  }

  @Test
  @Order(13)
  void benchQuickRunsEverySection() throws Exception {
    PackagedCli.Result r = dart4j(LONG, "bench", "--quick", "--threads", "1");
    assertThat(r.out())
        .contains("### Ceilings")
        .contains("### Training step")
        .contains("### Decode, batch 1")
        .contains("### Rollout throughput")
        .containsPattern("\\d+ of 7 targets met");
  }

  @Test
  @Order(14)
  void quickstartWithSqlTrainsThreeAdapters() throws Exception {
    // the smoke world and model, one GRPO step and eight test questions: about a minute loaded
    PackagedCli.Result r =
        PackagedCli.run(
                work,
                LONG,
                Map.of(),
                List.of(
                    PackagedCli.root().resolve("scripts/quickstart.sh").toString(),
                    "quickstart-sql",
                    "--smoke",
                    "--tools",
                    "search,sql",
                    "--grpo-steps",
                    "1",
                    "--eval-limit",
                    "8")) // the first 8 test questions include two search-then-SQL ones
            .succeeded();
    assertThat(r.out())
        .contains("after 1 GRPO steps")
        .containsPattern("adapters reasoning, search, sql; sql EM \\d\\.\\d{3} -> \\d\\.\\d{3}")
        .containsPattern("sql used \\d\\.\\d{2} -> \\d\\.\\d{2}");
    Path qs = work.resolve("quickstart-sql");
    JsonNode summary = JSON.readTree(qs.resolve("summary.json").toFile());
    assertThat(summary.get("adapters").toString()).isEqualTo("[\"reasoning\",\"search\",\"sql\"]");
    assertThat(summary.get("tool_call_rates").has("sql_after")).isTrue();
    assertThat(Files.readString(qs.resolve("summary.md")))
        .contains("three LoRA adapters: reasoning, search, sql")
        .contains("_queried sql at least once_");
    JsonNode dart = JSON.readTree(qs.resolve("adapters/dart.json").toFile());
    assertThat(dart.get("tools")).hasSize(2);
    assertThat(dart.at("/tools/1/open").asText()).isEqualTo("<sql>");
    assertThat(dart.at("/tools/1/adapter").asInt()).isEqualTo(2);
    assertThat(qs.resolve("adapters/sql/adapter_model.safetensors")).isNotEmptyFile();
    assertThat(qs.resolve("world/tables.sql")).isNotEmptyFile();
    assertThat(Files.readString(qs.resolve("sft/demonstrations.md"))).contains("<sql>");

    // eval on the saved three adapters, with the world's tables, gives the same responses
    dart4j(LONG, "eval", "@" + qs.resolve("eval.args"), "--out", "quickstart-sql-eval");
    assertThat(Files.readAllLines(work.resolve("quickstart-sql-eval/results.jsonl")))
        .containsExactlyElementsOf(Files.readAllLines(qs.resolve("eval-after.jsonl")));

    // three roles: the probe on the warm start with the world's tables measures every pair of
    // reasoning, search and sql on the same rollouts (role_pairs.*). The smoke model answers no
    // training question, so EM gives no mixed-reward group; Search-R1's format reward (partial
    // credit for a well-formed trajectory) does (15 of 96 groups on the project's machine)
    PackagedCli.Result probe =
        dart4j(
            LONG,
            "leas",
            "probe",
            "-m",
            qs.resolve("model-sft").toString(),
            "--method",
            "full",
            "--sql-tables",
            qs.resolve("world/tables.sql").toString(),
            "--template",
            "file:" + qs.resolve("prompt.txt"),
            "--data",
            qs.resolve("world/train.jsonl").toString(),
            "--index",
            qs.resolve("index").toString(),
            "--limit",
            SQL_PROBE_QUERIES,
            "--group-size",
            "8",
            "--queries-per-rollout",
            "8",
            "--max-turns",
            "3",
            "--turn-tokens",
            "32",
            "--obs-tokens",
            "48",
            "--batch-splits",
            "50",
            "--reward",
            "format",
            "--out",
            "probe-sql");
    assertThat(probe.out())
        .contains("# Role-pair gradient angles")
        .contains("roles reasoning, search, sql")
        .contains("| inter-role reasoning–sql |")
        .contains("| search–sql |");
    JsonNode pairs = JSON.readTree(work.resolve("probe-sql/role_pairs.json").toFile());
    assertThat(pairs.get("splits").asInt()).isEqualTo(50);
    assertThat(pairs.at("/pairs/reasoning–search/inter_role/n").asInt()).isPositive();
    assertThat(work.resolve("probe-sql/role_pairs.csv")).isNotEmptyFile();
  }

  /**
   * The compare study's smoke (scripts/compare-study.sh): a warm start and DART in their own JVMs,
   * the pooled report with CIs, the paired test against the warm start and DART's isolated
   * capabilities; a rerun with the same settings skips the finished parts, one with other settings
   * and a directory the script did not create are refused.
   */
  @Test
  @Order(15)
  void compareStudyScriptSmokePoolsResumesAndRefuses() throws Exception {
    String script = PackagedCli.root().resolve("scripts/compare-study.sh").toString();
    List<String> study =
        List.of(
            script, "study", "--smoke", "--seeds", "1", "--methods", "DART", "--world", "conflict");
    PackagedCli.Result r = PackagedCli.run(work, SCRIPT, Map.of(), study).succeeded();
    assertThat(r.out())
        .contains("seed 1: warm start ->")
        .contains("seed 1: DART ->")
        .containsPattern(
            "DART: EM \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\] over \\d+ questions")
        .contains("DART reasoning_only: EM")
        .contains("DART tool_only: EM")
        .contains("WARM_START: EM");
    Path out = work.resolve("study");
    // the smoke's 2 steps, not the study default of 60
    assertThat(out.resolve("study.args"))
        .content()
        .contains("world=conflict")
        .contains("grpo-steps=2 ");
    assertThat(out.resolve("seed-1/warm/warm_starts.json")).isRegularFile();
    JsonNode row = readJson(Files.readAllLines(out.resolve("seed-1/DART/results.jsonl")).get(0));
    assertThat(row.get("peak_rss_mb").asDouble()).isPositive();
    List<String> variants =
        Files.readAllLines(out.resolve("seed-1/DART/questions.jsonl")).stream()
            .map(line -> readJson(line).get("variant").asText())
            .distinct()
            .toList();
    assertThat(variants)
        .containsExactlyInAnyOrder("before", "after", "reasoning_only", "tool_only");
    Path report;
    try (var dirs = Files.list(out)) {
      report =
          dirs.filter(p -> p.getFileName().toString().startsWith("report-"))
              .findFirst()
              .orElseThrow();
    }
    String md = Files.readString(report.resolve("study.md"));
    assertThat(md)
        .contains("## EM per data_source")
        .contains("| DART reasoning_only | all |")
        .contains("| DART − WARM_START | all |")
        .contains("## Cost per method");
    JsonNode json = JSON.readTree(report.resolve("study.json").toFile());
    assertThat(json.get("seeds").get(0).asLong()).isEqualTo(1);
    for (JsonNode e : json.get("em")) {
      assertThat(e.get("ci_lower").asDouble()).isLessThanOrEqualTo(e.get("em").asDouble());
      assertThat(e.get("ci_upper").asDouble()).isGreaterThanOrEqualTo(e.get("em").asDouble());
    }

    // the same settings again: everything finished is skipped, a new report is written
    PackagedCli.Result again = PackagedCli.run(work, SCRIPT, Map.of(), study).succeeded();
    assertThat(again.out()).contains("seed 1: warm start done").contains("seed 1: DART done");
    assertThat(again.out()).doesNotContain("seed 1: DART ->");

    // other settings in the same directory, and a directory the script did not create: refused
    List<String> other = new java.util.ArrayList<>(study);
    other.addAll(List.of("--grpo-steps", "3"));
    PackagedCli.Result refused = PackagedCli.run(work, SHORT, Map.of(), other);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("is a study with other settings");
    Path foreign = work.resolve("not-a-study");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("keep.txt"), "user data");
    List<String> into = new java.util.ArrayList<>(study);
    into.set(1, "not-a-study");
    PackagedCli.Result refusedForeign = PackagedCli.run(work, SHORT, Map.of(), into);
    assertThat(refusedForeign.exit()).isEqualTo(1);
    assertThat(refusedForeign.err()).contains("output directory is not empty");
    assertThat(foreign.resolve("keep.txt")).hasContent("user data");
  }

  @Test
  @Order(16)
  void benchMemoryQuickMeasuresEachScenarioInAChildJvm() throws Exception {
    Path memWork = work.resolve("memory-bench");
    PackagedCli.Result r =
        dart4j(
            SHORT, "bench", "--memory", "--quick", "--threads", "1", "--work", memWork.toString());
    assertThat(r.out())
        .contains("fp32 weight bytes")
        .containsPattern(
            "\\| quick \\| load \\+ greedy decode, 8-token prompt, 32 tokens \\| fp32 \\| [0-9.]+ \\|")
        .containsPattern("GRPO step, 1 prompt × G = 5, \\d+ tokens each \\| fp32 \\| [0-9.]+ \\|")
        .containsPattern(
            "GRPO step, 1 prompt × G = 5, \\d+ tokens each \\| fp16 \\+ checkpointing \\| [0-9.]+ \\|");
    // the generated checkpoint is the hub's layout: bf16 shards, an index, config and tokenizer
    assertThat(memWork.resolve("quick/model.safetensors.index.json")).isNotEmptyFile();
    assertThat(memWork.resolve("quick/model-00002-of-00002.safetensors")).isNotEmptyFile();
    assertThat(memWork.resolve("quick/tokenizer.json")).isNotEmptyFile();
    assertThat(Files.readString(memWork.resolve("quick/config.json"))).contains("bfloat16");
    // each row was saved as its child ended: JSONL (with ratio, verdict, log-prob Δ), CSV, table
    List<String> rows = Files.readAllLines(memWork.resolve("memory-rows.jsonl"));
    assertThat(rows).hasSize(3);
    assertThat(readJson(rows.get(2)).path("id").asText()).isEqualTo("quick-grpo-fp16-ckpt");
    assertThat(readJson(rows.get(2)).path("lp_max_abs_diff").isNumber()).isTrue();
    assertThat(readJson(rows.get(2)).path("verdict").asText()).isIn("PASS", "MISS");
    assertThat(memWork.resolve("memory-rows.csv")).isNotEmptyFile();
    assertThat(Files.readString(memWork.resolve("memory-table.md"))).contains("| quick |");
    // a rerun with the same directory measures nothing again: every selected row is stored
    PackagedCli.Result again =
        dart4j(
            SHORT,
            "bench",
            "--memory",
            "--quick",
            "--work",
            memWork.toString(),
            "--scenarios",
            "quick-grpo-*");
    assertThat(again.err() + again.out())
        .contains("quick-grpo-fp32: already in")
        .doesNotContain("(child JVM)");
    assertThat(Files.readAllLines(memWork.resolve("memory-rows.jsonl"))).isEqualTo(rows);
    // a directory the bench did not make is refused
    Path foreign = work.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("mine.txt"), "x");
    PackagedCli.Result refused =
        PackagedCli.dart4j(
            work, SHORT, "bench", "--memory", "--quick", "--work", foreign.toString());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err() + refused.out()).contains("not made by the memory bench");
    assertThat(foreign.resolve("mine.txt")).hasContent("x");
  }

  private static JsonNode readJson(String line) {
    try {
      return JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
