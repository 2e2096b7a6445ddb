package io.github.dartrl.examples.world;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A world written to disk with its BM25 index and a tiny model whose word-level vocabulary covers
 * the world's and the demonstrations' texts: what the demonstration tests write with.
 *
 * @param retriever the index over the world's corpus
 * @param tokenizer the tiny model's tokenizer
 */
record WorldFixture(LuceneBm25Retriever retriever, TextTokenizer tokenizer)
    implements AutoCloseable {

  /** Writes {@code world} under {@code dir} (world/, index/, model/) and opens what it needs. */
  static WorldFixture open(World world, Path dir) {
    world.writeTo(dir.resolve("world"));
    Bm25IndexBuilder.withDefaults()
        .build(dir.resolve("world").resolve(World.CORPUS_FILE), dir.resolve("index"));
    LuceneBm25Retriever retriever = LuceneBm25Retriever.open(dir.resolve("index"));
    List<String> texts = new ArrayList<>(world.vocabularyTexts());
    texts.addAll(DemonstrationWriter.vocabularyTexts());
    TinyModels.create(
        dir.resolve("model"),
        WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, Integer.MAX_VALUE),
        TinyModels.Size.test(),
        1);
    return new WorldFixture(retriever, TextTokenizer.load(dir.resolve("model")));
  }

  @Override
  public void close() {
    retriever.close();
    tokenizer.close();
  }
}
