package io.github.dartrl.leas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraLinear;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny models, a scripted retriever and helpers shared by the dart-leas tests. */
public final class LeasFixtures {
  private LeasFixtures() {}

  public static final List<String> WORDS =
      List.of(
          "who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":", "rome");

  public static final PromptTemplate SHORT = new PromptTemplate("question : {question}", true);

  /** A d=32, 2-layer Qwen2 model with a word-level tokenizer (tags atomic) in {@code dir}. */
  public static void createTiny(Path dir, long seed) {
    TinyModels.create(dir, WORDS, new TinyModels.Size(32, 2, 4, 2, 64, 1024), seed);
  }

  /** Short turns so tests stay fast. */
  public static RolloutConfig rollout() {
    return RolloutConfig.searchR1()
        .withTurnTokens(16, 40)
        .withMaxTurns(2)
        .withTopK(2)
        .withSampling(1.0, 1.0);
  }

  /** Answers every query with two fixed passages. */
  public static final class ScriptedRetriever implements Retriever {
    public int calls;

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      calls++;
      List<List<Passage>> out = new ArrayList<>();
      for (String q : queries) {
        out.add(
            List.of(
                    new Passage("1", "paris", "paris is the capital of france .", 2.0),
                    new Passage("2", "france", "the city is paris .", 1.0))
                .subList(0, Math.min(topK, 2)));
      }
      return out;
    }
  }

  /** Overwrites every stacked B with N(0, 0.3²) noise, so each adapter changes the model. */
  public static void randomizeB(LoraAdapters adapters, long seed) {
    Random rng = new Random(seed);
    try (GradMode off = GradMode.disabled()) {
      for (LoraLinear l : adapters.layers()) {
        float[] v = new float[(int) l.stackedB().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * 0.3);
        }
        l.stackedB()
            .set(new NDIndex(":"), l.stackedB().getManager().create(v, l.stackedB().getShape()));
      }
    }
  }

  /**
   * Log-probs of every token of every trajectory under a full-sequence forward with adapter map
   * {@code map}: {@code out[i][p]} is token p's log-prob (NaN at p = 0).
   */
  public static float[][] logProbs(DecoderModel model, List<Trajectory> ts, RoleAdapterMap map) {
    SequenceBatch batch =
        new SequenceBatch(
            ts.stream().map(Trajectory::tokens).toList(),
            ts.stream().map(Trajectory::roles).toList(),
            0);
    float[] lp;
    try (GradMode off = GradMode.disabled();
        NDManager s = model.newScope()) {
      NDArray h = model.hidden(s, batch.tokens(), null, batch.adapterAt(map));
      NDArray targets = s.create(batch.targets(), new Shape(batch.batch(), batch.length()));
      lp = model.logProbs(h, targets, 1f).toFloatArray();
    }
    float[][] out = new float[ts.size()][];
    for (int r = 0; r < ts.size(); r++) {
      int n = ts.get(r).tokens().length;
      out[r] = new float[n];
      out[r][0] = Float.NaN;
      for (int p = 1; p < n; p++) {
        out[r][p] = lp[r * batch.length() + batch.padding(r) + p - 1];
      }
    }
    return out;
  }
}
