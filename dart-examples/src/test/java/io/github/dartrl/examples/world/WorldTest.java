package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.grpo.retrieval.CorpusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FILES =
      List.of("corpus.jsonl", "train.jsonl", "dev.jsonl", "test.jsonl", "world.json");

  @TempDir Path tmp;

  @Test
  void sameSeedGivesByteIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
    WorldConfig c = WorldConfig.small();
    World.generate(c).writeTo(tmp.resolve("a"));
    World.generate(c).writeTo(tmp.resolve("b"));
    World.generate(c.withSeed(c.seed() + 1)).writeTo(tmp.resolve("c"));
    for (String f : FILES) {
      byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(f));
      assertThat(a).as(f).isEqualTo(Files.readAllBytes(tmp.resolve("b").resolve(f)));
      assertThat(a).as(f).isNotEqualTo(Files.readAllBytes(tmp.resolve("c").resolve(f)));
    }
    try (Stream<Path> left = Files.list(tmp.resolve("a"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no temporary files left")
          .containsExactlyInAnyOrderElementsOf(FILES);
    }
  }

  @Test
  void corpusParsesWithTheRetrieverReader() throws IOException {
    World world = Worlds.small();
    world.writeTo(tmp);
    int n = 0;
    try (CorpusReader reader = CorpusReader.open(tmp.resolve(World.CORPUS_FILE))) {
      for (CorpusReader.Document d = reader.next(); d != null; d = reader.next()) {
        CorpusPassage expected = world.corpus().get(n++);
        assertThat(d.id()).isEqualTo(expected.id());
        assertThat(d.contents()).isEqualTo(expected.contents());
      }
    }
    assertThat(n).isEqualTo(world.corpus().size());
  }

  @Test
  void questionFilesAreFlashRagJsonl() throws IOException {
    World world = Worlds.small();
    world.writeTo(tmp);
    for (Split split : Split.values()) {
      List<String> lines = Files.readAllLines(tmp.resolve(split.fileName()));
      assertThat(lines).hasSize(world.questions(split).size());
      for (int i = 0; i < lines.size(); i++) {
        JsonNode row = JSON.readTree(lines.get(i));
        WorldQuestion q = world.questions(split).get(i);
        assertThat(row.get("id").asText()).isEqualTo(split.key() + "_" + i).isEqualTo(q.id());
        assertThat(row.get("question").asText()).isEqualTo(q.question());
        assertThat(row.get("golden_answers").isArray()).isTrue();
        assertThat(row.get("golden_answers").get(0).asText()).isEqualTo(q.goldenAnswers().get(0));
        assertThat(row.get("data_source").asText()).isIn("onehop", "twohop", "noretrieval");
        assertThat(row.get("hops").size()).isEqualTo(q.hops().size());
        for (int h = 0; h < q.hops().size(); h++) {
          JsonNode hop = row.get("hops").get(h);
          assertThat(hop.get("query").asText()).isEqualTo(q.hops().get(h).query());
          assertThat(hop.get("relation").asText()).isEqualTo(q.hops().get(h).relation().key());
          assertThat(hop.get("answer").asText()).isEqualTo(q.hops().get(h).answer());
        }
      }
    }
  }

  @Test
  void worldJsonRecordsConfigCountsAndHashes() throws IOException {
    World world = Worlds.small();
    world.writeTo(tmp);
    JsonNode root = JSON.readTree(tmp.resolve(World.WORLD_FILE).toFile());
    assertThat(root.get("format").asText()).isEqualTo(World.FORMAT);
    assertThat(JSON.treeToValue(root.get("config"), WorldConfig.class)).isEqualTo(world.config());
    JsonNode counts = root.get("counts");
    assertThat(counts.get("passages").asInt()).isEqualTo(world.corpus().size());
    assertThat(counts.get("vocabulary").asInt()).isEqualTo(world.stats().vocabularySize());
    for (Split split : Split.values()) {
      assertThat(counts.get("questions").get(split.key()).get("total").asInt())
          .isEqualTo(world.questions(split).size());
    }
    for (String f : FILES.subList(0, 4)) {
      assertThat(root.get("sha256").get(f).asText())
          .as(f)
          .isEqualTo(sha256(Files.readAllBytes(tmp.resolve(f))));
    }
    assertThat(root.get("world_sha256").asText()).hasSize(64);
  }

  @Test
  void writingAgainReplacesTheFiles() throws IOException {
    World.generate(WorldConfig.small().withSeed(99)).writeTo(tmp);
    World world = Worlds.small();
    world.writeTo(tmp);
    assertThat(Files.readAllLines(tmp.resolve("test.jsonl")))
        .hasSize(world.questions(Split.TEST).size());
    assertThat(Files.readString(tmp.resolve("test.jsonl")))
        .contains(world.questions(Split.TEST).get(0).question());
  }

  @Test
  void vocabularyTextsCoverEveryWordWrittenAndThePromptTemplate() throws IOException {
    World world = Worlds.small();
    world.writeTo(tmp);
    Set<String> vocabulary = new HashSet<>();
    world
        .vocabularyTexts()
        .forEach(t -> vocabulary.addAll(WordLevelTokenizerWriter.pieces(t, true)));
    assertThat(vocabulary).hasSize(world.stats().vocabularySize());
    try (CorpusReader reader = CorpusReader.open(tmp.resolve(World.CORPUS_FILE))) {
      for (CorpusReader.Document d = reader.next(); d != null; d = reader.next()) {
        assertThat(vocabulary).containsAll(WordLevelTokenizerWriter.pieces(d.contents(), true));
      }
    }
    for (Split split : Split.values()) {
      for (String line : Files.readAllLines(tmp.resolve(split.fileName()))) {
        JsonNode row = JSON.readTree(line);
        assertThat(vocabulary)
            .containsAll(WordLevelTokenizerWriter.pieces(row.get("question").asText(), true));
        row.get("golden_answers")
            .forEach(
                a ->
                    assertThat(vocabulary)
                        .containsAll(WordLevelTokenizerWriter.pieces(a.asText(), true)));
      }
    }
    assertThat(vocabulary)
        .contains(
            "<", "think", ">", "</", "information", "beijing", "doc", "(", "title", ":", "\")")
        .contains(
            "let", "me", "search", "for", "i", "need", "to", "find", "so", "the", "answer", "is");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
