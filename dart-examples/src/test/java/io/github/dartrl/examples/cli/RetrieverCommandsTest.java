package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code index}, {@code search} and {@code serve-retriever} through the real command line. */
class RetrieverCommandsTest {

  @TempDir Path tmp;

  /** Exit code, stdout and stderr of one run. */
  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private Path corpus() throws IOException {
    return Files.writeString(
        tmp.resolve("corpus.jsonl"),
        "{\"id\": \"a\", \"contents\": \"\\\"Oslo\\\"\\nOslo is the capital of Norway.\"}\n"
            + "{\"id\": \"b\", \"title\": \"Lima\", \"text\": \"Lima is the capital of Peru.\"}\n");
  }

  @Test
  void indexThenSearchPrintsPassagesAsJson() throws IOException {
    Path index = tmp.resolve("index");
    CliRun built = run("index", "--corpus", corpus().toString(), "--index", index.toString());
    assertThat(built.exit()).as(built.err()).isZero();
    assertThat(built.out()).contains("indexed 2 passages");

    CliRun found =
        run("search", "--index", index.toString(), "--topk", "1", "capital of Peru", "Norway");
    assertThat(found.exit()).as(found.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(found.out());
    assertThat(json.get(0).get("query").asText()).isEqualTo("capital of Peru");
    assertThat(json.get(0).get("passages").get(0).get("id").asText()).isEqualTo("b");
    assertThat(json.get(0).get("passages").get(0).get("title").asText()).isEqualTo("Lima");
    assertThat(json.get(1).get("passages").get(0).get("id").asText()).isEqualTo("a");
    assertThat(json.get(1).get("passages")).hasSize(1);
  }

  @Test
  void missingRequiredOptionsExitWithUsageError() {
    CliRun r = run("index");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("Missing required options")
        .contains("--corpus")
        .contains("--index");

    CliRun s = run("serve-retriever", "--index", tmp.toString());
    assertThat(s.exit()).isEqualTo(2);
    assertThat(s.err()).contains("Missing required option: '--port=<port>'");

    CliRun q = run("search", "--index", tmp.toString());
    assertThat(q.exit()).isEqualTo(2);
    assertThat(q.err()).contains("Missing required parameter").contains("QUERY");
  }

  @Test
  void badValuesAreRejectedWithAClearMessage() throws IOException {
    CliRun k1 = run("index", "--corpus", corpus().toString(), "--index", "x", "--k1", "-1");
    assertThat(k1.exit()).isEqualTo(2);
    assertThat(k1.err()).contains("k1 must be finite and >= 0");

    CliRun topk = run("search", "--index", tmp.toString(), "--topk", "0", "q");
    assertThat(topk.exit()).isEqualTo(2);
    assertThat(topk.err()).contains("--topk must be >= 1");

    CliRun port = run("serve-retriever", "--index", tmp.toString(), "--port", "70000");
    assertThat(port.exit()).isEqualTo(2);
    assertThat(port.err()).contains("port must be in [0, 65535]");

    CliRun notNumber = run("search", "--index", tmp.toString(), "--topk", "three", "q");
    assertThat(notNumber.exit()).isEqualTo(2);
    assertThat(notNumber.err()).contains("Invalid value for option '--topk'");
  }

  @Test
  void failuresPrintOneErrorLineAndExit1() throws IOException {
    Path missing = tmp.resolve("missing.jsonl");
    CliRun r = run("index", "--corpus", missing.toString(), "--index", tmp.resolve("i").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo("error: corpus " + missing + " does not exist or is not a file");

    Path bad =
        Files.writeString(
            tmp.resolve("bad.jsonl"), "{\"id\": \"1\", \"contents\": \"x\"}\n{oops\n");
    CliRun b = run("index", "--corpus", bad.toString(), "--index", tmp.resolve("j").toString());
    assertThat(b.exit()).isEqualTo(1);
    assertThat(b.err()).startsWith("error: " + bad + ":2: malformed JSON").doesNotContain("\tat ");
    assertThat(tmp.resolve("j")).doesNotExist();

    CliRun s = run("search", "--index", tmp.resolve("nowhere").toString(), "q");
    assertThat(s.exit()).isEqualTo(1);
    assertThat(s.err()).contains("error: index directory").contains("does not exist");
  }
}
