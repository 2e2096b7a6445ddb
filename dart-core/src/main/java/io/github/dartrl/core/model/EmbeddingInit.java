package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initialises the embedding (and untied LM-head) rows of newly added tokens, e.g. atomic {@code
 * <search>} tags, from the row of a proxy word plus small noise (0.02 × the row's std), so a frozen
 * backbone treats the new token like a familiar one.
 */
public final class EmbeddingInit {
  private EmbeddingInit() {}

  /**
   * Sets row {@code newId} to row {@code proxyId} plus noise for every entry of {@code newToProxy}.
   * Ids must lie inside the model's vocabulary (HF checkpoints usually have spare rows).
   */
  public static void fromProxies(DecoderModel model, Map<Long, Long> newToProxy, long seed) {
    int v = model.config().vocabSize();
    SplittableRandom rng = new SplittableRandom(seed);
    try (GradMode off = GradMode.disabled()) {
      for (Map.Entry<Long, Long> e : newToProxy.entrySet()) {
        long id = e.getKey();
        long proxy = e.getValue();
        if (id < 0 || id >= v || proxy < 0 || proxy >= v) {
          throw new IllegalArgumentException(
              "token ids must be in [0, "
                  + v
                  + "): new "
                  + id
                  + ", proxy "
                  + proxy
                  + "; the embedding has no spare row for this tokenizer");
        }
        copyRow(model.parameters().get(HfNames.EMBED), id, proxy, rng);
        if (!model.config().tieWordEmbeddings()) {
          copyRow(model.parameters().get(HfNames.LM_HEAD), id, proxy, rng);
        }
      }
    }
  }

  private static void copyRow(NDArray table, long id, long proxy, SplittableRandom rng) {
    float[] row;
    try (NDArray proxyRow = table.get(new NDIndex(proxy));
        NDArray wide = proxyRow.toType(DataType.FLOAT32, false)) { // an fp16 table, too
      row = wide.toFloatArray();
    }
    double mean = 0;
    for (float x : row) {
      mean += x;
    }
    mean /= row.length;
    double var = 0;
    for (float x : row) {
      var += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(var / row.length);
    for (int i = 0; i < row.length; i++) {
      double u = 1.0 - rng.nextDouble();
      double gauss = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
      row[i] += (float) (0.02 * std * gauss);
    }
    try (NDArray value = table.getManager().create(row);
        NDArray typed = value.toType(table.getDataType(), false)) {
      table.set(new NDIndex(id), typed);
    }
  }
}
