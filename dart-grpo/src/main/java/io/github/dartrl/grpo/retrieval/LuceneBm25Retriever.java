package io.github.dartrl.grpo.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BM25 search over an on-disk Lucene index: the default, embedded {@link Retriever}.
 *
 * <p>Opens indexes built by {@link Bm25IndexBuilder} and Pyserini/Anserini indexes that Lucene 9.12
 * can read (see {@link IndexOpener}). Queries are analysed with the English analyzer and run as a
 * bag of words: one {@code SHOULD} term clause per distinct term, boosted by how often the term
 * occurs in the query, as Pyserini's {@code BagOfWordsQueryGenerator} does, so no query syntax is
 * interpreted and any user text is a valid query.
 *
 * <p>Thread-safe: one {@link IndexSearcher} serves all threads; each search reads stored fields
 * through its own {@link StoredFields}. A batch runs its queries one after another on the calling
 * thread; callers wanting parallelism call {@link #search} from several threads.
 */
public final class LuceneBm25Retriever implements Retriever {

  private static final Logger LOG = LoggerFactory.getLogger(LuceneBm25Retriever.class);
  private static final ObjectMapper JSON = UntrustedJson.newMapper();
  private static final Set<String> STORED =
      Set.of(LuceneFields.ID, LuceneFields.CONTENTS, LuceneFields.RAW);

  private final Path indexDir;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  private final Bm25Params params;
  private final IndexMetadata metadata;

  private LuceneBm25Retriever(
      Path indexDir,
      FSDirectory directory,
      DirectoryReader reader,
      Bm25Params params,
      IndexMetadata metadata) {
    this.indexDir = indexDir;
    this.directory = directory;
    this.reader = reader;
    this.params = params;
    this.metadata = metadata;
    this.analyzer = LuceneFields.analyzer();
    this.searcher = new IndexSearcher(reader);
    searcher.setSimilarity(params.similarity());
  }

  /**
   * Opens an index with the BM25 parameters recorded in it ({@link Bm25Params#pyserini()} for
   * indexes built by other tools).
   *
   * @throws RetrieverException naming the directory when it is missing, not a Lucene index, of a
   *     Lucene version this build cannot read, incomplete, or lacks the needed fields
   */
  public static LuceneBm25Retriever open(Path indexDir) {
    return open(indexDir, null);
  }

  /**
   * Opens an index with the given BM25 parameters.
   *
   * @param params the parameters, or null for the ones recorded in the index
   * @throws RetrieverException see {@link #open(Path)}
   */
  public static LuceneBm25Retriever open(Path indexDir, Bm25Params params) {
    Path dir = indexDir.toAbsolutePath().normalize();
    IndexOpener.Opened opened = IndexOpener.open(dir);
    IndexMetadata meta = opened.metadata().orElse(null);
    Bm25Params effective =
        params != null ? params : meta != null ? meta.params() : Bm25Params.pyserini();
    LOG.info(
        "opened BM25 index {} ({} passages, k1={}, b={}{})",
        dir,
        opened.reader().numDocs(),
        effective.k1(),
        effective.b(),
        meta == null ? ", built by another tool" : "");
    return new LuceneBm25Retriever(dir, opened.directory(), opened.reader(), effective, meta);
  }

  /** The index directory. */
  public Path indexDir() {
    return indexDir;
  }

  /** The number of passages in the index. */
  public int numDocs() {
    return reader.numDocs();
  }

  /** The BM25 parameters searches use. */
  public Bm25Params params() {
    return params;
  }

  /** The {@value IndexMetadata#FILE_NAME} contents; empty for indexes built by other tools. */
  public Optional<IndexMetadata> metadata() {
    return Optional.ofNullable(metadata);
  }

  @Override
  public List<List<Passage>> search(List<String> queries, int topK) {
    SearchArguments.check(queries, topK);
    List<List<Passage>> results = new ArrayList<>(queries.size());
    for (String query : queries) {
      results.add(searchOne(query, topK));
    }
    return results;
  }

  private List<Passage> searchOne(String text, int topK) {
    try {
      Query query = bagOfWords(text);
      if (query == null) {
        return List.of(); // only stop words or punctuation: nothing can match
      }
      TopDocs top = searcher.search(query, topK);
      StoredFields stored = searcher.storedFields();
      List<Passage> passages = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc hit : top.scoreDocs) {
        passages.add(toPassage(stored.document(hit.doc, STORED), hit.score));
      }
      return List.copyOf(passages);
    } catch (CorruptIndexException e) {
      throw IndexOpener.corrupt(indexDir, e);
    } catch (IOException e) {
      throw new RetrieverException("search in index " + indexDir + " failed: " + e, e);
    } catch (AlreadyClosedException e) {
      throw new RetrieverException("index " + indexDir + " is closed", e);
    } catch (RetrieverException e) {
      throw e;
    } catch (RuntimeException e) {
      // Lucene verifies checksums only when asked; flipped bytes in a segment surface as
      // out-of-bounds reads ("arraycopy: source index -13785") deep inside a search.
      throw IndexOpener.corrupt(indexDir, e);
    }
  }

  /** One SHOULD clause per distinct analysed term, boosted by its count in the query. */
  private Query bagOfWords(String text) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream tokens = analyzer.tokenStream(LuceneFields.CONTENTS, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      tokens.end();
    }
    if (counts.isEmpty()) {
      return null;
    }
    // Lucene refuses queries with more clauses than this; a query that long is a runaway
    // generation, and its first terms are as good as any.
    int limit = IndexSearcher.getMaxClauseCount();
    if (counts.size() > limit) {
      LOG.debug("query has {} distinct terms; keeping the first {}", counts.size(), limit);
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    int clauses = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (clauses++ == limit) {
        break;
      }
      Query tq = new TermQuery(new Term(LuceneFields.CONTENTS, e.getKey()));
      builder.add(
          e.getValue() == 1 ? tq : new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
    }
    return builder.build();
  }

  private static Passage toPassage(Document doc, float score) {
    String id = Objects.requireNonNullElse(doc.get(LuceneFields.ID), "");
    String contents = doc.get(LuceneFields.CONTENTS);
    if (contents != null) {
      return Passage.fromContents(id, contents, score);
    }
    IndexableField raw = doc.getField(LuceneFields.RAW);
    String rawText = raw == null ? null : raw.stringValue();
    if (rawText == null) {
      return new Passage(id, "", "", score);
    }
    return fromRaw(id, rawText, score);
  }

  /** Pyserini's {@code raw} is the corpus JSON line; anything else is taken as contents. */
  private static Passage fromRaw(String id, String raw, double score) {
    try {
      JsonNode node = JSON.readTree(raw);
      if (node != null && node.isObject()) {
        if (node.path("contents").isTextual()) {
          return Passage.fromContents(id, node.get("contents").asText(), score);
        }
        if (node.path("text").isTextual()) {
          return new Passage(id, node.path("title").asText(""), node.get("text").asText(), score);
        }
      }
    } catch (IOException e) {
      // not JSON: fall through
    }
    return Passage.fromContents(id, raw, score);
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new RetrieverException("closing index " + indexDir + " failed: " + e, e);
    } finally {
      analyzer.close();
    }
  }

  @Override
  public String toString() {
    return "LuceneBm25Retriever[" + indexDir + "]";
  }
}
