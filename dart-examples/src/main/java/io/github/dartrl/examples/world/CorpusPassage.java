package io.github.dartrl.examples.world;

import java.util.Objects;

/**
 * One passage of the world's corpus.
 *
 * @param id the corpus id, a decimal ordinal as in Search-R1's wiki-18 corpus
 * @param title the name of the entity the passage is about
 * @param text two to four sentences, lower case, every word and punctuation mark separated by one
 *     space (the form a word-level tokenizer decodes to, so decode(encode(text)) == text)
 */
public record CorpusPassage(String id, String title, String text) {

  /** Validates that no component is null. */
  public CorpusPassage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }

  /** The Search-R1 {@code contents} field: {@code "\"" + title + "\"\n" + text}. */
  public String contents() {
    return "\"" + title + "\"\n" + text;
  }
}
