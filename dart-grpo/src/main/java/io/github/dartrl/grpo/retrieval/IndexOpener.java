package io.github.dartrl.grpo.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

/**
 * Opens an index directory and checks that it can serve searches, turning each way it can fail into
 * a message that names the directory and says what to do.
 *
 * <p>Lucene 9.12 reads indexes created by Lucene 9.x, and by 8.x through {@code
 * lucene-backward-codecs}: Pyserini 0.18+ / Anserini 0.15+ (Lucene 9) and older Pyserini releases
 * built on Anserini 0.5-0.14 (Lucene 8). Indexes created by Lucene 7 or older are refused as too
 * old, Lucene 10 indexes (Anserini 2.x) as too new.
 */
final class IndexOpener {

  /** An open index; the caller owns and closes the reader and the directory. */
  record Opened(FSDirectory directory, DirectoryReader reader, Optional<IndexMetadata> metadata) {}

  private IndexOpener() {}

  static Opened open(Path dir) {
    if (!Files.exists(dir)) {
      throw new RetrieverException("index directory " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new RetrieverException("index path " + dir + " is not a directory");
    }
    FSDirectory directory = null;
    DirectoryReader reader = null;
    try {
      directory = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(directory)) {
        throw new RetrieverException(noIndexMessage(dir));
      }
      Optional<IndexMetadata> meta = IndexMetadata.read(dir);
      reader = DirectoryReader.open(directory);
      if (meta.isPresent()) {
        checkComplete(dir, meta.get(), reader);
      } else {
        checkForeignFields(dir, reader);
      }
      return new Opened(directory, reader, meta);
    } catch (IndexFormatTooOldException e) {
      closeQuietly(reader, directory);
      throw new RetrieverException(
          "index "
              + dir
              + " was written by a Lucene version before 8.0, which Lucene "
              + Version.LATEST
              + " cannot read (it reads 9.x, and 8.x through lucene-backward-codecs); rebuild it"
              + " with `dart4j index` or Pyserini 0.18+ ("
              + e.getMessage()
              + ")",
          e);
    } catch (IndexFormatTooNewException e) {
      closeQuietly(reader, directory);
      throw new RetrieverException(
          "index "
              + dir
              + " was written by a newer Lucene (10 or later, e.g. Anserini 2.x) than this build's "
              + Version.LATEST
              + " (dart4j stays on Lucene 9 to run on Java 17); rebuild it with `dart4j index` ("
              + e.getMessage()
              + ")",
          e);
    } catch (CorruptIndexException e) {
      closeQuietly(reader, directory);
      throw corrupt(dir, e);
    } catch (IOException e) {
      closeQuietly(reader, directory);
      throw new RetrieverException("cannot open index " + dir + ": " + e, e);
    } catch (RetrieverException e) {
      closeQuietly(reader, directory);
      throw e;
    } catch (RuntimeException e) {
      // flipped bytes that Lucene does not checksum at open show up as out-of-bounds reads
      closeQuietly(reader, directory);
      throw corrupt(dir, e);
    }
  }

  /** The error for an index whose files Lucene cannot make sense of. */
  static RetrieverException corrupt(Path dir, Exception e) {
    return new RetrieverException(
        "index "
            + dir
            + ": corrupt index, rebuild with dart4j index ("
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage()
            + ")",
        e);
  }

  private static String noIndexMessage(Path dir) {
    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
    if (name.startsWith(".") && name.contains(".partial-")) {
      return dir + " is the leftover of an interrupted index build; delete it and build again";
    }
    return dir + " contains no Lucene index (no segments_N file); build one with `dart4j index`";
  }

  /** A dart4j index: the marker's count must match, or the directory was tampered with. */
  private static void checkComplete(Path dir, IndexMetadata meta, DirectoryReader reader) {
    if (meta.docCount() != reader.numDocs()) {
      throw new RetrieverException(
          "index "
              + dir
              + " is inconsistent: "
              + IndexMetadata.FILE_NAME
              + " records "
              + meta.docCount()
              + " passages but the index holds "
              + reader.numDocs()
              + "; rebuild it");
    }
  }

  /**
   * A Pyserini/Anserini index (no marker): needs an {@code id} field, an indexed {@code contents}
   * field, and a stored {@code contents} or {@code raw} to return passage text.
   */
  private static void checkForeignFields(Path dir, DirectoryReader reader) throws IOException {
    if (reader.numDocs() == 0) {
      throw new RetrieverException("index " + dir + " holds no documents");
    }
    FieldInfos fields = FieldInfos.getMergedFieldInfos(reader);
    List<String> missing = new ArrayList<>();
    if (fields.fieldInfo(LuceneFields.ID) == null) {
      missing.add("\"id\"");
    }
    FieldInfo contents = fields.fieldInfo(LuceneFields.CONTENTS);
    if (contents == null || contents.getIndexOptions() == IndexOptions.NONE) {
      missing.add("an indexed \"contents\" field");
    }
    if (missing.isEmpty()) {
      // Stored-ness is per document; the first live document stands for all.
      TopDocs first = new IndexSearcher(reader).search(new MatchAllDocsQuery(), 1);
      Document doc = reader.storedFields().document(first.scoreDocs[0].doc);
      if (doc.get(LuceneFields.CONTENTS) == null && doc.get(LuceneFields.RAW) == null) {
        missing.add(
            "a stored \"contents\" or \"raw\" field (build Pyserini indexes with --storeRaw or"
                + " --storeContents)");
      }
    }
    if (!missing.isEmpty()) {
      throw new RetrieverException(
          "index "
              + dir
              + " has no "
              + IndexMetadata.FILE_NAME
              + " and is not a usable Pyserini/Anserini index: it lacks "
              + String.join(", ", missing)
              + "; fields present: "
              + fieldNames(fields));
    }
  }

  private static List<String> fieldNames(FieldInfos fields) {
    List<String> names = new ArrayList<>();
    for (FieldInfo f : fields) {
      names.add(f.name);
    }
    return names;
  }

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception ignored) {
          // already failing; the original exception is the one to report
        }
      }
    }
  }
}
