/**
 * The bundled synthetic tool-QA world: fictional entities and facts ({@link
 * io.github.dartrl.examples.world.KnowledgeBase}), a Search-R1 corpus of short passages ({@link
 * io.github.dartrl.examples.world.CorpusWriter}), one-hop, two-hop and no-retrieval questions over
 * train / dev / test splits with disjoint entities ({@link
 * io.github.dartrl.examples.world.QuestionGenerator}), all behind {@link
 * io.github.dartrl.examples.world.World}. Seeded and deterministic; sized so a ~1M-parameter
 * word-level model can learn it on a CPU. Optionally ({@link
 * io.github.dartrl.examples.world.WorldConfig#sql()}) structured tables for the SQL tool ({@link
 * io.github.dartrl.examples.world.WorldTables}) and search-then-SQL questions. See {@code
 * docs/world.md}.
 */
package io.github.dartrl.examples.world;
