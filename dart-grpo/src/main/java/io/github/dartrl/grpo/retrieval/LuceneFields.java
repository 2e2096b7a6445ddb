package io.github.dartrl.grpo.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Field names and the analyzer shared by the index builder and the searcher.
 *
 * <p>The names are Anserini's ({@code Constants.ID}, {@code CONTENTS}, {@code RAW}), so an index
 * built here has the layout of a Pyserini index built with {@code --storeContents}, and Pyserini
 * indexes open here. Lucene's {@link EnglishAnalyzer} (standard tokenizer, possessive removal,
 * lower case, English stop words, Porter stemmer) is the same chain as Anserini's default English
 * analyzer.
 */
final class LuceneFields {

  /** The passage id: indexed as one untokenised term, stored. */
  static final String ID = "id";

  /** The searchable text ({@code "\"Title\"\ntext"}); stored by dart4j. */
  static final String CONTENTS = "contents";

  /** Pyserini's stored copy of the original JSON line ({@code --storeRaw}). */
  static final String RAW = "raw";

  /** The analyzer name recorded in {@link IndexMetadata#analyzer()}. */
  static final String ANALYZER_NAME = "english";

  private LuceneFields() {}

  static Analyzer analyzer() {
    return new EnglishAnalyzer();
  }
}
