package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL part is off by default, and adding it changed nothing of the search-only worlds: the data
 * files of {@code defaults()} and {@code small()} are byte for byte those of the world before SQL
 * existed (hashes taken from the commit before it), so published figures stay comparable.
 */
class SqlOffByDefaultTest {

  private static Map<String, String> hashes(World world) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(World.CORPUS_FILE, sha(CorpusWriter.bytes(world.corpus())));
    for (Split split : Split.values()) {
      out.put(split.fileName(), sha(QaJsonlWriter.bytes(world.questions(split))));
    }
    out.put(
        "vocabulary",
        sha(String.join("\n", world.vocabularyTexts()).getBytes(StandardCharsets.UTF_8)));
    out.put(
        "demonstration phrases",
        sha(
            String.join("\n", DemonstrationWriter.vocabularyTexts())
                .getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theDefaultWorldsAreUnchanged() throws Exception {
    assertThat(WorldConfig.defaults().sql()).isFalse();
    assertThat(WorldConfig.small().sql()).isFalse();
    assertThat(hashes(Worlds.of(WorldConfig.defaults())))
        .containsExactly(
            entry(
                "corpus.jsonl", "589abaa480c25fa24f305a773f19aa5e26c45fab7c0b0f9337aab005de607958"),
            entry(
                "train.jsonl", "ae79a3ade14469cbbb089f291dabb2766c4e2d31e5dce2b2a76510eb39356958"),
            entry("dev.jsonl", "9b9a14e8ff793d922f30cd007dbaaa689667714984408dca2f179841518fd177"),
            entry("test.jsonl", "9bb5281bf23002b9e4bc2c3f6cf3c1dfe814968082a3ac6039b39708d1222639"),
            entry("vocabulary", "ccaa1e56739b8c53239109d1d113a162c324835250fa4737c5dc2c1fa746b5d8"),
            entry(
                "demonstration phrases",
                "6105b8396a2264d92241f13028a10d708160921f520988a43de90d049f0598c7"));
    assertThat(hashes(Worlds.small()))
        .containsExactly(
            entry(
                "corpus.jsonl", "7bb3af798e1d41b4818ec0d327893db311f7378c25a01bf97b8659c4d664e8a0"),
            entry(
                "train.jsonl", "b7939b76014e80223814c943e9aebc38cce4f1d659692dc3d0ecc59a8491747f"),
            entry("dev.jsonl", "df34b49a6877d9a29469b51da4d5fe96409ff9160964bf2a8e5ecb5acacbc9f1"),
            entry("test.jsonl", "8eb78f2b52ac4edf62371d2e420eda05954b7b8641fb6a0ee3db47c24e210bc0"),
            entry("vocabulary", "17bee846849e73b96bab000d41f06ba3dcc6826f9be76a95cf52d4ef88ee8107"),
            entry(
                "demonstration phrases",
                "6105b8396a2264d92241f13028a10d708160921f520988a43de90d049f0598c7"));
  }

  @Test
  void aSearchOnlyWorldWritesNoTablesAndCountsNoSqlQuestions(@TempDir Path dir) throws Exception {
    Worlds.small().writeTo(dir);
    assertThat(dir.resolve(World.TABLES_FILE)).doesNotExist();
    String json = Files.readString(dir.resolve(World.WORLD_FILE));
    assertThat(json).doesNotContain(QuestionKind.SEARCH_SQL.dataSource());
  }
}
