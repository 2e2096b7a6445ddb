package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneBm25RetrieverTest {

  @TempDir static Path shared;
  static LuceneBm25Retriever retriever;

  @TempDir Path tmp;

  @BeforeAll
  static void buildIndex() throws IOException {
    retriever = TestCorpus.index(shared);
  }

  @AfterAll
  static void closeIndex() {
    retriever.close();
  }

  private static List<String> ids(List<Passage> passages) {
    return passages.stream().map(Passage::id).toList();
  }

  @Test
  void knownQueriesReturnExpectedDocumentsInOrder() {
    assertThat(ids(retriever.search("capital of Germany", 3))).startsWith("d1");
    assertThat(ids(retriever.search("Eiffel Tower", 3))).containsExactly("d2", "d0");
    assertThat(ids(retriever.search("python programming language", 3)))
        .containsExactly("d3", "d6", "d4");
    assertThat(ids(retriever.search("snakes", 5))).containsExactly("d4");
  }

  @Test
  void scoresDescendAndPassagesCarryTitleAndText() {
    List<Passage> hits = retriever.search("capital city", 8);
    assertThat(hits).hasSizeGreaterThan(3);
    for (int i = 1; i < hits.size(); i++) {
      assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
    }
    Passage berlin = retriever.search("Germany", 1).get(0);
    assertThat(berlin.id()).isEqualTo("d1");
    assertThat(berlin.title()).isEqualTo("Berlin");
    assertThat(berlin.text()).isEqualTo("Berlin is the capital of Germany and its largest city.");
    assertThat(berlin.hasScore()).isTrue();
  }

  /** BM25 computed independently from analysed tokens (Lucene 9's formula, without (k1+1)). */
  @Test
  void scoresMatchAnIndependentBm25Computation() throws IOException {
    double k1 = 0.9;
    double b = 0.4;
    List<List<String>> docs = new ArrayList<>();
    try (Analyzer analyzer = new EnglishAnalyzer()) {
      for (String[] d : TestCorpus.DOCS) {
        docs.add(tokens(analyzer, "\"" + d[1] + "\"\n" + d[2]));
      }
      List<String> query = tokens(analyzer, "largest capital city");
      double avgdl = docs.stream().mapToInt(List::size).average().orElseThrow();
      Map<String, Double> expected = new HashMap<>();
      for (int i = 0; i < docs.size(); i++) {
        List<String> doc = docs.get(i);
        double score = 0;
        for (String term : query) {
          int tf = Collections.frequency(doc, term);
          if (tf == 0) {
            continue;
          }
          long df = docs.stream().filter(d -> d.contains(term)).count();
          double idf = Math.log(1 + (docs.size() - df + 0.5) / (df + 0.5));
          score += idf * tf / (tf + k1 * (1 - b + b * doc.size() / avgdl));
        }
        if (score > 0) {
          expected.put(TestCorpus.DOCS.get(i)[0], score);
        }
      }
      List<Passage> hits = retriever.search("largest capital city", 8);
      assertThat(hits).hasSize(expected.size());
      for (Passage p : hits) {
        assertThat(p.score()).as(p.id()).isCloseTo(expected.get(p.id()), within(1e-5));
      }
    }
  }

  private static List<String> tokens(Analyzer analyzer, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("contents", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  @Test
  void batchEqualsPerQuerySearch() {
    List<String> queries =
        List.of("capital of Italy", "Eiffel", "programming language", "Spain", "zzz unknown");
    List<List<Passage>> batch = retriever.search(queries, 3);
    assertThat(batch).hasSize(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      assertThat(batch.get(i)).isEqualTo(retriever.search(queries.get(i), 3));
    }
    assertThat(batch.get(4)).isEmpty();
  }

  @Test
  void concurrentSearchesGiveTheSameResults() throws Exception {
    List<String> queries =
        List.of("capital", "Paris tower", "python", "island", "Madrid Spain", "largest city");
    List<List<Passage>> expected = retriever.search(queries, 4);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              for (int rep = 0; rep < 50; rep++) {
                if (!retriever.search(queries, 4).equals(expected)) {
                  return false;
                }
              }
              return true;
            });
      }
      for (Future<Boolean> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void stopWordOnlyQueryAndEmptyBatch() {
    assertThat(retriever.search("the of and", 3)).isEmpty();
    assertThat(retriever.search("", 3)).isEmpty();
    assertThat(retriever.search(List.of(), 3)).isEmpty();
    assertThat(retriever.search("what? (is) \"Paris\" AND -title:*", 1).get(0).id())
        .isIn("d0", "d2");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> retriever.search("Paris", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topK");
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> retriever.search(withNull, 3))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void metadataRecordsBuildAndParamsDefaultFromIt() throws IOException {
    Path index = tmp.resolve("idx");
    new Bm25IndexBuilder(new Bm25Params(1.2, 0.75)).build(TestCorpus.write(tmp), index);
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index)) {
      assertThat(r.numDocs()).isEqualTo(TestCorpus.DOCS.size());
      assertThat(r.params()).isEqualTo(new Bm25Params(1.2, 0.75));
      IndexMetadata meta = r.metadata().orElseThrow();
      assertThat(meta.docCount()).isEqualTo(TestCorpus.DOCS.size());
      assertThat(meta.corpus()).endsWith("corpus.jsonl");
    }
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index, Bm25Params.pyserini())) {
      assertThat(r.params()).isEqualTo(Bm25Params.pyserini());
      // same ranking as the shared index, which was built with the Pyserini defaults
      assertThat(r.search("capital city", 8)).isEqualTo(retriever.search("capital city", 8));
    }
  }

  @Test
  void opensPyseriniStyleIndexWithRawField() throws IOException {
    Path index = tmp.resolve("pyserini");
    writeForeignIndex(index, true);
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index)) {
      assertThat(r.metadata()).isEmpty();
      assertThat(r.params()).isEqualTo(Bm25Params.pyserini());
      Passage p = r.search("capital of Germany", 1).get(0);
      assertThat(p.id()).isEqualTo("d1");
      assertThat(p.title()).isEqualTo("Berlin");
      assertThat(p.text()).startsWith("Berlin is the capital");
    }
  }

  @Test
  void foreignIndexWithoutNeededFieldsIsRefusedNamingThem() throws IOException {
    Path index = tmp.resolve("other");
    try (FSDirectory dir = FSDirectory.open(index);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new EnglishAnalyzer()))) {
      Document doc = new Document();
      doc.add(new StringField("docid", "1", Field.Store.YES));
      doc.add(new TextField("body", "some text", Field.Store.YES));
      w.addDocument(doc);
    }
    assertThatThrownBy(() -> LuceneBm25Retriever.open(index))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(index.toString())
        .hasMessageContaining("\"id\"")
        .hasMessageContaining("indexed \"contents\"")
        .hasMessageContaining("fields present: [docid, body]");
  }

  @Test
  void foreignIndexWithoutStoredTextIsRefused() throws IOException {
    Path index = tmp.resolve("nostore");
    writeForeignIndex(index, false);
    assertThatThrownBy(() -> LuceneBm25Retriever.open(index))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining("stored \"contents\" or \"raw\"")
        .hasMessageContaining("--storeRaw");
  }

  @Test
  void missingOrNonIndexDirectoryGivesClearMessage() throws IOException {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> LuceneBm25Retriever.open(missing))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatThrownBy(() -> LuceneBm25Retriever.open(empty))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining("contains no Lucene index");
  }

  @Test
  void markerCountMismatchIsReportedAsInconsistent() throws IOException {
    Path index = tmp.resolve("idx");
    IndexMetadata meta = Bm25IndexBuilder.withDefaults().build(TestCorpus.write(tmp), index);
    new IndexMetadata(
            meta.format(),
            meta.formatVersion(),
            meta.docCount() + 5,
            meta.corpus(),
            meta.k1(),
            meta.b(),
            meta.analyzer(),
            meta.luceneVersion(),
            meta.createdAt())
        .write(index);
    assertThatThrownBy(() -> LuceneBm25Retriever.open(index))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining("inconsistent")
        .hasMessageContaining("13 passages");
  }

  @Test
  void plainTitleTextCorpusLinesAreIndexed() throws IOException {
    Path corpus = tmp.resolve("plain.jsonl");
    Files.writeString(
        corpus,
        "{\"id\": 1, \"title\": \"Oslo\", \"text\": \"Oslo is the capital of Norway.\"}\n"
            + "\n"
            + "{\"id\": \"2\", \"text\": \"Untitled note about fjords.\"}\n");
    Path index = tmp.resolve("plain");
    Bm25IndexBuilder.withDefaults().build(corpus, index);
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index)) {
      assertThat(r.search("Norway", 1))
          .containsExactly(
              new Passage(
                  "1",
                  "Oslo",
                  "Oslo is the capital of Norway.",
                  r.search("Norway", 1).get(0).score()));
      Passage note = r.search("fjords", 1).get(0);
      assertThat(note.id()).isEqualTo("2");
      assertThat(note.title()).isEmpty();
    }
  }

  /** An index laid out like Anserini's: id, contents (indexed, not stored), optionally raw. */
  private static void writeForeignIndex(Path index, boolean storeRaw) throws IOException {
    try (FSDirectory dir = FSDirectory.open(index);
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new EnglishAnalyzer()))) {
      for (String[] d : TestCorpus.DOCS) {
        String contents = "\"" + d[1] + "\"\n" + d[2];
        Document doc = new Document();
        doc.add(new StringField("id", d[0], Field.Store.YES));
        doc.add(new TextField("contents", contents, Field.Store.NO));
        if (storeRaw) {
          String json =
              "{\"id\": \""
                  + d[0]
                  + "\", \"contents\": \""
                  + contents.replace("\"", "\\\"").replace("\n", "\\n")
                  + "\"}";
          doc.add(new StoredField("raw", json));
        }
        w.addDocument(doc);
      }
    }
  }
}
