package io.github.dartrl.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greedy evaluation ({@link Trainer#evaluate}) in a few chunks, with a progress line and ETA after
 * each; the chunks' results are combined into one, weighted by their sizes.
 */
public final class Evaluation {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);
  private static final int CHUNKS = 4;

  private Evaluation() {}

  /**
   * Evaluates {@code data} greedily with {@code trainer}'s policy; {@code label} names the log
   * lines.
   */
  public static EvalResult run(Trainer trainer, QaDataset data, String label) {
    int n = data.size();
    int chunk = Math.max(1, (n + CHUNKS - 1) / CHUNKS);
    long t0 = System.nanoTime();
    double em = 0;
    double reward = 0;
    double turns = 0;
    double search = 0;
    double truncated = 0;
    Map<String, double[]> bySource = new LinkedHashMap<>();
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      EvalResult r = trainer.evaluate(QaDataset.of(data.examples().subList(from, to)));
      double w = to - from;
      em += r.exactMatch() * w;
      reward += r.meanReward() * w;
      turns += r.meanTurns() * w;
      search += r.searchRate() * w;
      truncated += r.truncatedRate() * w;
      r.countBySource()
          .forEach(
              (k, count) -> {
                double[] acc = bySource.computeIfAbsent(k, x -> new double[2]);
                acc[0] += r.exactMatchBySource().get(k) * count;
                acc[1] += count;
              });
      double seconds = (System.nanoTime() - t0) / 1e9;
      LOG.info(
          String.format(
              Locale.ROOT,
              "eval (%s) %d/%d (%d%%) | em %.3f | %.1f s | ETA %s",
              label,
              to,
              n,
              to * 100 / n,
              em / to,
              seconds,
              Phases.format(seconds / to * (n - to))));
    }
    Map<String, Double> emBy = new LinkedHashMap<>();
    Map<String, Integer> countBy = new LinkedHashMap<>();
    bySource.forEach(
        (k, v) -> {
          emBy.put(k, v[0] / v[1]);
          countBy.put(k, (int) v[1]);
        });
    return new EvalResult(em / n, emBy, countBy, reward / n, turns / n, search / n, truncated / n);
  }

  /** The result as the reports write it: EM overall and per data_source, search and turn rates. */
  public static ObjectNode toJson(EvalResult e, ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("em", e.exactMatch());
    n.set("em_by_source", json.valueToTree(e.exactMatchBySource()));
    n.set("count_by_source", json.valueToTree(e.countBySource()));
    n.put("search_rate", e.searchRate());
    n.put("mean_turns", e.meanTurns());
    n.put("truncated_rate", e.truncatedRate());
    return n;
  }
}
