package io.github.dartrl.grpo.retrieval;

import io.github.dartrl.core.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an on-disk Lucene BM25 index from a corpus JSONL file (see {@link CorpusReader} for the
 * accepted line forms).
 *
 * <p>The index is written into a hidden sibling directory ({@code .NAME.partial-*}) and renamed to
 * its final name only after Lucene has committed and {@value IndexMetadata#FILE_NAME} has been
 * written; a failed build deletes the partial directory. So a directory with the requested name is
 * always a finished index, whether the build failed, was interrupted or was killed (a killed build
 * leaves only the hidden partial directory behind). The next build of the same index removes such
 * leftovers: only directories named {@code .NAME.partial-*} that hold the {@value #MARKER} file a
 * build creates first, and only when no running build holds that file's lock.
 *
 * <p>Indexing is single-threaded and uses a merge policy that only merges adjacent segments, so
 * Lucene document ids follow corpus order and equal-score ties rank in corpus order on every build.
 * Progress is logged every {@link #withProgressEvery(long) n} passages.
 */
public final class Bm25IndexBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(Bm25IndexBuilder.class);

  /** Marks a partial directory as made by a build; its lock is held while the build runs. */
  static final String MARKER = ".dart4j-partial";

  private final Bm25Params params;
  private final long progressEvery;
  private final double ramBufferMb;

  /** A builder with the given BM25 parameters (recorded as the index's search defaults). */
  public Bm25IndexBuilder(Bm25Params params) {
    this(params, 100_000, 256);
  }

  private Bm25IndexBuilder(Bm25Params params, long progressEvery, double ramBufferMb) {
    this.params = Objects.requireNonNull(params, "params");
    if (progressEvery < 1) {
      throw new IllegalArgumentException("progressEvery must be >= 1, got " + progressEvery);
    }
    if (!(ramBufferMb >= 1)) {
      throw new IllegalArgumentException("ramBufferMb must be >= 1, got " + ramBufferMb);
    }
    this.progressEvery = progressEvery;
    this.ramBufferMb = ramBufferMb;
  }

  /** A builder with Pyserini's BM25 defaults. */
  public static Bm25IndexBuilder withDefaults() {
    return new Bm25IndexBuilder(Bm25Params.pyserini());
  }

  /** The same builder logging progress every {@code passages} passages (default 100,000). */
  public Bm25IndexBuilder withProgressEvery(long passages) {
    return new Bm25IndexBuilder(params, passages, ramBufferMb);
  }

  /** The same builder with Lucene's indexing RAM buffer set to {@code mb} MiB (default 256). */
  public Bm25IndexBuilder withRamBufferMb(double mb) {
    return new Bm25IndexBuilder(params, progressEvery, mb);
  }

  /**
   * Builds the index.
   *
   * @param corpus the corpus JSONL file (optionally {@code .gz})
   * @param indexDir the index directory to create; must not exist, or be empty
   * @return the metadata written into the index
   * @throws CorpusFormatException when a corpus line is malformed (nothing is left at {@code
   *     indexDir})
   * @throws RetrieverException when the corpus is missing or empty, {@code indexDir} is not empty,
   *     or writing fails
   */
  public IndexMetadata build(Path corpus, Path indexDir) {
    Path target = indexDir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(corpus)) {
      throw new RetrieverException("corpus " + corpus + " does not exist or is not a file");
    }
    checkTarget(target);
    removeStalePartials(target);
    Path partial;
    FileChannel marker;
    try {
      Files.createDirectories(target.getParent());
      partial =
          Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
      marker =
          FileChannel.open(
              partial.resolve(MARKER), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      marker.lock();
    } catch (IOException e) {
      throw new RetrieverException("cannot create a directory next to " + target + ": " + e, e);
    }
    boolean done = false;
    try {
      long count = writeIndex(corpus, partial);
      IndexMetadata meta =
          new IndexMetadata(
              IndexMetadata.FORMAT,
              IndexMetadata.FORMAT_VERSION,
              count,
              corpus.toAbsolutePath().normalize().toString(),
              params.k1(),
              params.b(),
              LuceneFields.ANALYZER_NAME,
              Version.LATEST.toString(),
              Instant.now().toString());
      // The metadata goes in last: its presence means every byte before it was committed.
      meta.write(partial);
      marker.close(); // releases the lock
      Files.delete(partial.resolve(MARKER));
      if (Files.isDirectory(target)) {
        Files.delete(target); // checked empty above; rename cannot replace a directory portably
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      LOG.info("index {} complete: {} passages", target, count);
      return meta;
    } catch (IOException e) {
      throw new RetrieverException(
          "building index " + target + " from " + corpus + " failed: " + e.getMessage(), e);
    } finally {
      closeQuietly(marker);
      if (!done) {
        deleteRecursively(partial);
      }
    }
  }

  /**
   * Deletes what killed builds of {@code target} left: {@code .NAME.partial-*} directories holding
   * a {@value #MARKER} whose lock nobody holds (a running build holds it). Nothing else is touched.
   */
  static void removeStalePartials(Path target) {
    String prefix = "." + target.getFileName() + ".partial-";
    try (DirectoryStream<Path> siblings =
        Files.newDirectoryStream(
            target.getParent(), d -> d.getFileName().toString().startsWith(prefix))) {
      for (Path dir : siblings) {
        Path mark = dir.resolve(MARKER);
        if (!Files.isDirectory(dir) || !Files.isRegularFile(mark)) {
          continue; // not made by a build: leave it
        }
        try (FileChannel ch = FileChannel.open(mark, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock()) {
          if (lock == null) {
            continue; // another process is building it
          }
          LOG.warn("removing {} (left by an interrupted index build)", dir);
          deleteRecursively(dir);
        } catch (java.nio.channels.OverlappingFileLockException e) {
          // a build in this JVM holds it
        }
      }
    } catch (IOException e) {
      LOG.warn("could not look for interrupted builds next to {}: {}", target, e.toString());
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("closing the partial-build marker: {}", e.toString());
    }
  }

  private long writeIndex(Path corpus, Path dir) throws IOException {
    Analyzer analyzer = LuceneFields.analyzer();
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setSimilarity(params.similarity())
            .setRAMBufferSizeMB(ramBufferMb)
            .setMergePolicy(new LogByteSizeMergePolicy())
            // A failed build must not spend time flushing what it is about to delete.
            .setCommitOnClose(false);
    long started = System.nanoTime();
    long count = 0;
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config);
        CorpusReader reader = CorpusReader.open(corpus)) {
      LOG.info("indexing {} into {}", corpus, dir);
      for (CorpusReader.Document d = reader.next(); d != null; d = reader.next()) {
        Document doc = new Document();
        doc.add(new StringField(LuceneFields.ID, d.id(), Field.Store.YES));
        doc.add(new TextField(LuceneFields.CONTENTS, d.contents(), Field.Store.YES));
        writer.addDocument(doc);
        count++;
        if (count % progressEvery == 0) {
          double seconds = (System.nanoTime() - started) / 1e9;
          LOG.info(
              "indexed {} passages ({} lines, {} passages/s)",
              count,
              reader.lineNumber(),
              Math.round(count / seconds));
        }
      }
      if (count == 0) {
        throw new RetrieverException(
            "corpus " + corpus + " contains no passages; nothing to index");
      }
      writer.commit();
      try (DirectoryReader built = DirectoryReader.open(directory)) {
        requireUniqueIds(built, corpus);
      }
    } finally {
      analyzer.close();
    }
    LOG.info(
        "indexed {} passages in {} s",
        count,
        String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return count;
  }

  /**
   * Refuses a corpus in which two passages share an id: search would return the same id twice and a
   * caller keyed by id would silently drop one. Checked on the finished index's term dictionary (no
   * id set in memory); only on failure is the corpus re-read to name both lines.
   */
  private static void requireUniqueIds(DirectoryReader index, Path corpus) throws IOException {
    Terms terms = MultiTerms.getTerms(index, LuceneFields.ID);
    if (terms == null) {
      return;
    }
    TermsEnum it = terms.iterator();
    for (BytesRef id = it.next(); id != null; id = it.next()) {
      if (it.docFreq() > 1) {
        PostingsEnum docs = it.postings(null, PostingsEnum.NONE);
        int first = docs.nextDoc();
        int second = docs.nextDoc();
        long[] lines = linesOf(corpus, first, second);
        throw new CorpusFormatException(
            corpus,
            lines[1],
            "duplicate passage id \""
                + id.utf8ToString()
                + "\" (first on line "
                + lines[0]
                + "); ids must be unique",
            null);
      }
    }
  }

  /** The corpus lines of the passages with the given 0-based positions ({@code a < b}). */
  private static long[] linesOf(Path corpus, int a, int b) throws IOException {
    long[] lines = new long[2];
    try (CorpusReader reader = CorpusReader.open(corpus)) {
      int n = 0;
      for (CorpusReader.Document d = reader.next(); d != null && n <= b; d = reader.next(), n++) {
        if (n == a) {
          lines[0] = d.line();
        }
        if (n == b) {
          lines[1] = d.line();
        }
      }
    }
    return lines;
  }

  private static void checkTarget(Path target) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new RetrieverException("index path " + target + " exists and is not a directory");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      if (entries.iterator().hasNext()) {
        throw new RetrieverException(
            "index directory "
                + target
                + " already exists and is not empty; remove it or choose another");
      }
    } catch (IOException e) {
      throw new RetrieverException("cannot list " + target + ": " + e, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove partial index {}: {}", dir, e.toString());
    }
  }
}
