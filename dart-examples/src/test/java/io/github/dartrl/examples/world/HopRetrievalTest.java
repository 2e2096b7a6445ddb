package io.github.dartrl.examples.world;

import static io.github.dartrl.examples.world.Worlds.mentions;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Passage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world is solvable by search: with the default BM25 retriever, searching a hop's entity name
 * returns, in the top 3, a passage that states the hop's answer (measured 100% on {@code
 * defaults()}). Distractors are present too: other entities' passages that name the query.
 */
class HopRetrievalTest {

  @TempDir Path tmp;

  @Test
  void searchingTheHopEntityFindsTheAnswerInTheTopThree() {
    World world = Worlds.small();
    world.writeTo(tmp);
    Bm25IndexBuilder.withDefaults().build(tmp.resolve(World.CORPUS_FILE), tmp.resolve("index"));
    List<WorldQuestion.Hop> hops = new ArrayList<>();
    for (Split split : Split.values()) {
      world.questions(split).forEach(q -> hops.addAll(q.hops()));
    }
    int hits = 0;
    int withDistractor = 0;
    try (LuceneBm25Retriever retriever = LuceneBm25Retriever.open(tmp.resolve("index"))) {
      List<List<Passage>> results =
          retriever.search(hops.stream().map(WorldQuestion.Hop::query).toList(), 3);
      for (int i = 0; i < hops.size(); i++) {
        WorldQuestion.Hop hop = hops.get(i);
        List<Passage> top = results.get(i);
        if (top.stream()
            .anyMatch(p -> mentions(p.text(), hop.query()) && mentions(p.text(), hop.answer()))) {
          hits++;
        }
        if (top.stream()
            .anyMatch(p -> !p.title().equals(hop.query()) && mentions(p.text(), hop.query()))) {
          withDistractor++;
        }
      }
    }
    assertThat(hits / (double) hops.size()).as("hop recall@3").isGreaterThanOrEqualTo(0.98);
    assertThat(withDistractor / (double) hops.size())
        .as("searches whose top 3 include another entity's passage naming the query")
        .isGreaterThan(0.3);
  }
}
