package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.Generator;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelsTest {

  @Test
  void sizeErrorsNameTheFieldAndValue() {
    assertThatThrownBy(() -> new TinyModels.Size(32, 2, 4, 2, 0, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intermediate must be > 0, got 0");
    assertThatThrownBy(() -> new TinyModels.Size(12, 2, 4, 2, 64, 256))
        .hasMessageContaining("even quotient")
        .hasMessageContaining("hidden 12 and heads 4");
    assertThatThrownBy(() -> new TinyModels.Size(32, 2, 4, 3, 64, 256))
        .hasMessage("heads must be a multiple of kvHeads, got heads 4 and kvHeads 3");
  }

  @Test
  void createdModelLoadsTokenizesAndGenerates(@TempDir Path dir) {
    List<String> words = List.of("who", "is", "the", "capital", "of", "paris", "france", "?", ".");
    ModelConfig c = TinyModels.create(dir, words, TinyModels.Size.test(), 1);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      assertThat(model.config()).isEqualTo(ModelConfig.read(dir));
      assertThat(c.vocabSize()).isEqualTo(tok.vocabSize());
      long[] prompt = tok.encode("what is the capital of france ? <search> france </search>");
      assertThat(tok.tokenId("<search>")).isPresent();
      assertThat(prompt).contains(tok.tokenId("<search>").getAsLong());
      SamplingParams p = SamplingParams.sample(1.0, 8, 3).withEos(Set.of(tok.eosTokenIds()[0]));
      Generation g = Generator.generate(model, List.of(prompt), p, tok).get(0);
      assertThat(g.tokens()).isNotEmpty();
      assertThat(g.text()).isEqualTo(tok.decode(g.tokens()));
    }
  }

  @Test
  void extraTagsAreAtomicOnlyWhenAsked(@TempDir Path dir) throws Exception {
    List<String> words = List.of("who", "is", "the", "capital", "of", "paris", "france", "?", ".");
    Path plain = dir.resolve("plain");
    Path empty = dir.resolve("empty");
    Path sql = dir.resolve("sql");
    ModelConfig a = TinyModels.create(plain, words, TinyModels.Size.test(), 1);
    TinyModels.create(empty, words, TinyModels.Size.test(), 1, List.of());
    ModelConfig b =
        TinyModels.create(sql, words, TinyModels.Size.test(), 1, List.of("<sql>", "</sql>"));
    // without extra tags: the files of the four-argument form, byte for byte
    for (String f : List.of("tokenizer.json", "config.json", "model.safetensors")) {
      assertThat(java.nio.file.Files.readAllBytes(empty.resolve(f)))
          .as(f)
          .isEqualTo(java.nio.file.Files.readAllBytes(plain.resolve(f)));
    }
    assertThat(b.vocabSize()).isEqualTo(a.vocabSize() + 2);
    try (TextTokenizer withSql = TextTokenizer.load(sql);
        TextTokenizer without = TextTokenizer.load(plain)) {
      assertThat(withSql.encode("<sql> paris </sql>")).hasSize(3);
      assertThat(withSql.tokenId("<sql>")).isPresent();
      assertThat(without.tokenId("<sql>")).isEmpty();
      assertThat(withSql.tokenId("<search>")).isEqualTo(without.tokenId("<search>"));
    }
  }

  @Test
  void proxyInitCopiesTheProxyRowWithSmallNoise(@TempDir Path dir) {
    TinyModels.create(dir, List.of("search", "find"), TinyModels.Size.test(), 2);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      long tag = tok.tokenId("<search>").getAsLong();
      long proxy = tok.tokenId("search").getAsLong();
      EmbeddingInit.fromProxies(model, Map.of(tag, proxy), 7);
      var embed = model.parameters().get(HfNames.EMBED);
      float[] a = embed.get(new NDIndex(tag)).toFloatArray();
      float[] b = embed.get(new NDIndex(proxy)).toFloatArray();
      double maxDiff = 0;
      for (int i = 0; i < a.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      }
      assertThat(maxDiff).isGreaterThan(0).isLessThan(0.01);
      assertThatThrownBy(() -> EmbeddingInit.fromProxies(model, Map.of(10_000L, proxy), 1))
          .hasMessageContaining("no spare row");
    }
  }
}
