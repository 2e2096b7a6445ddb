package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.Map;
import java.util.Objects;

/**
 * Exact-match counts of one question under the six models: model m answered correctly {@code
 * correct[m]} times out of {@code samples[m]} (arrays indexed by {@link CeaModel#ordinal()}).
 *
 * @param id question id
 * @param question question text (for reports; may be empty)
 * @param correct k per model
 * @param samples N per model
 */
public record QuestionCounts(String id, String question, int[] correct, int[] samples) {

  public QuestionCounts {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    int models = CeaModel.values().length;
    if (correct.length != models || samples.length != models) {
      throw new IllegalArgumentException(
          "question " + id + ": need counts for all " + models + " models");
    }
    for (CeaModel m : CeaModel.values()) {
      int k = correct[m.ordinal()];
      int n = samples[m.ordinal()];
      if (n < 1 || k < 0 || k > n) {
        throw new IllegalArgumentException(
            "question "
                + id
                + ", "
                + m.label()
                + ": need 0 <= k <= N and N >= 1, got "
                + k
                + "/"
                + n);
      }
    }
    correct = correct.clone();
    samples = samples.clone();
  }

  /** Counts from per-model maps (every model must be present). */
  public static QuestionCounts of(
      String id, String question, Map<CeaModel, Integer> correct, Map<CeaModel, Integer> samples) {
    int[] k = new int[CeaModel.values().length];
    int[] n = new int[k.length];
    for (CeaModel m : CeaModel.values()) {
      Integer km = correct.get(m);
      Integer nm = samples.get(m);
      if (km == null || nm == null) {
        throw new IllegalArgumentException("question " + id + ": no counts for " + m.label());
      }
      k[m.ordinal()] = km;
      n[m.ordinal()] = nm;
    }
    return new QuestionCounts(id, question, k, n);
  }

  /** k of one model. */
  public int correct(CeaModel m) {
    return correct[m.ordinal()];
  }

  /** N of one model. */
  public int samples(CeaModel m) {
    return samples[m.ordinal()];
  }

  /** Raw accuracy k/N of one model. */
  public double accuracy(CeaModel m) {
    return correct(m) / (double) samples(m);
  }

  /** Whether some model answered correctly at least once (the paper's filter). */
  public boolean anyCorrect() {
    for (int k : correct) {
      if (k > 0) {
        return true;
      }
    }
    return false;
  }
}
