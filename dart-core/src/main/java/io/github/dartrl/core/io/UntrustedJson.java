package io.github.dartrl.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson set up for reading JSON that dart4j did not write itself: model and tokenizer files,
 * datasets, corpora, HTTP request bodies.
 *
 * <p>Every such reader in the project builds its {@link ObjectMapper} here, so that one hostile or
 * corrupt input costs bounded time and memory: nesting depth, string, number and property-name
 * lengths are capped by {@link StreamReadConstraints} and exceeding a cap is a parse error (a
 * {@code StreamConstraintsException}, which each reader turns into its own typed exception) instead
 * of a stack overflow, a quadratic number parse or a multi-gigabyte string. Whole-document size is
 * bounded by each reader (file-size checks, line bounds, request body limits).
 *
 * <p>Parsing is also strict about duplicate keys ({@link
 * StreamReadFeature#STRICT_DUPLICATE_DETECTION}): {@code {"topk": 1, "topk": 100}} is an error
 * rather than silently "last one wins", because two readers of an ambiguous file (PEFT and dart4j,
 * a proxy and this server) may pick different values.
 */
public final class UntrustedJson {
  /**
   * Deepest nesting accepted. Real inputs are shallow (config.json: 2, tokenizer.json: about 6, a
   * Search-R1 request: 2); Jackson's default is 500.
   */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Longest string value accepted, in characters (Jackson's default is 20 M). */
  public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

  /** Longest number accepted, in characters (Jackson's default is 1000). */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Longest property name accepted, in characters (Jackson's default is 50 000). */
  public static final int MAX_NAME_LENGTH = 64 * 1024;

  private UntrustedJson() {}

  /** The default caps. */
  public static StreamReadConstraints constraints() {
    return constraints(MAX_STRING_LENGTH);
  }

  /** The default caps with another longest string (for inputs whose strings are short). */
  public static StreamReadConstraints constraints(int maxStringLength) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxStringLength(maxStringLength)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .maxNameLength(MAX_NAME_LENGTH)
        .build();
  }

  /** A new, unshared mapper with the default caps; callers add their own features. */
  public static ObjectMapper newMapper() {
    return newMapper(constraints());
  }

  /** A new mapper with the given caps, refusing duplicate keys. */
  public static ObjectMapper newMapper(StreamReadConstraints constraints) {
    return new ObjectMapper(
        JsonFactory.builder()
            .streamReadConstraints(constraints)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());
  }
}
