package io.github.dartrl.grpo.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.store.FSDirectory;
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
 * leaves only the hidden partial directory behind).
 *
 * <p>Indexing is single-threaded and uses a merge policy that only merges adjacent segments, so
 * Lucene document ids follow corpus order and equal-score ties rank in corpus order on every build.
 * Progress is logged every {@link #withProgressEvery(long) n} passages.
 */
public final class Bm25IndexBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(Bm25IndexBuilder.class);

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
    Path partial;
    try {
      Files.createDirectories(target.getParent());
      partial =
          Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
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
      // The marker goes in last: its presence means every byte before it was committed.
      meta.write(partial);
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
      if (!done) {
        deleteRecursively(partial);
      }
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
    } finally {
      analyzer.close();
    }
    LOG.info(
        "indexed {} passages in {} s",
        count,
        String.format("%.1f", (System.nanoTime() - started) / 1e9));
    return count;
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
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Bm25IndexBuilder::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove partial index {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
