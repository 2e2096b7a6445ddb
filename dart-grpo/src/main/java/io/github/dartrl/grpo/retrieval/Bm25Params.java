package io.github.dartrl.grpo.retrieval;

import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * BM25 parameters.
 *
 * <p>The default is Pyserini's {@code k1 = 0.9, b = 0.4} (what Search-R1's BM25 server runs with),
 * not Lucene's own {@code 1.2 / 0.75}, so that scores and rankings match an existing Pyserini setup
 * over the same index.
 *
 * @param k1 term-frequency saturation, finite and non-negative
 * @param b length normalisation, in [0, 1]
 */
public record Bm25Params(double k1, double b) {

  /** Validates the ranges. */
  public Bm25Params {
    if (!(k1 >= 0) || Double.isInfinite(k1)) {
      throw new IllegalArgumentException("k1 must be finite and >= 0, got " + k1);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("b must be in [0, 1], got " + b);
    }
  }

  /** Pyserini's and Anserini's defaults, {@code k1 = 0.9, b = 0.4}; the dart4j default. */
  public static Bm25Params pyserini() {
    return new Bm25Params(0.9, 0.4);
  }

  /** Lucene's {@link BM25Similarity} defaults, {@code k1 = 1.2, b = 0.75}. */
  public static Bm25Params lucene() {
    return new Bm25Params(1.2, 0.75);
  }

  /** The Lucene similarity with these parameters. */
  public BM25Similarity similarity() {
    return new BM25Similarity((float) k1, (float) b);
  }
}
