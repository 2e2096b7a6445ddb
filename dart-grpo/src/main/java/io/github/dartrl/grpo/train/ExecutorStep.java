package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetryingRetriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The worker's half of a distributed GRPO step ({@link DistributedRollouts}): with the broadcast
 * adapters installed, roll out a contiguous run of the step's prompts (sampling each row from the
 * stream of its row in the whole batch), score it and compute π_old/π_ref; or compute the gradient
 * of a share of a mini-batch, divided by the whole mini-batch's denominators. It runs the same
 * {@link RolloutEngine}, reward scoring and {@link GrpoUpdate} code as the local {@link Trainer}.
 * Not thread-safe: one step at a time per backbone replica.
 */
public final class ExecutorStep implements AutoCloseable {
  private final Policy policy;
  private final RewardFunction reward;
  private final GrpoConfig config;
  private final RetryingRetriever retriever;
  private final RolloutEngine engine;
  private final NDManager state;
  private final Gradients gradients;
  private final GrpoUpdate update;
  private final List<AutoCloseable> owned = new ArrayList<>();

  /**
   * @param policy a single routed policy (DART or LoRA; the backbone stays frozen)
   * @param retriever the environment's search, retried as {@code onFailure} says
   */
  public ExecutorStep(
      Policy policy,
      TextTokenizer tokenizer,
      Retriever retriever,
      PromptTemplate template,
      RewardFunction reward,
      GrpoConfig config,
      RetrieverFailurePolicy onFailure) {
    this.policy = Objects.requireNonNull(policy, "policy");
    if (policy.method().trainsBackbone()) {
      throw new IllegalArgumentException(
          "distributed training broadcasts adapters; "
              + policy.method()
              + " trains the whole backbone (not supported distributed, docs/scaling.md)");
    }
    this.reward = Objects.requireNonNull(reward, "reward");
    this.config = Objects.requireNonNull(config, "config");
    this.retriever =
        new RetryingRetriever(retriever, onFailure.maxRetries(), onFailure::backoffBefore);
    this.engine = new RolloutEngine(policy, tokenizer, this.retriever, template, config.rollout());
    this.state = policy.model().manager().newSubManager();
    this.gradients = new Gradients(policy.trainableParameters(), state);
    long pad = tokenizer.padTokenId().orElse(0);
    this.update =
        new GrpoUpdate(policy, config, null, gradients, null, null, pad, config.trainRoles());
  }

  /**
   * What must agree between the driver's and a worker's configuration: a digest of the config's
   * full text (records print every field), the same in every JVM.
   */
  public static String fingerprint(GrpoConfig config) {
    // a Set.of prints in an order that differs between JVMs: the roles are printed sorted
    String roles = config.trainRoles().toString();
    String sorted = config.trainRoles().stream().sorted().toList().toString();
    return Integer.toHexString(config.toString().replace(roles, sorted).hashCode());
  }

  public GrpoConfig config() {
    return config;
  }

  public Policy policy() {
    return policy;
  }

  /** Resources (policy, model, tokenizer, retriever) closed with this worker, last first. */
  public ExecutorStep closing(AutoCloseable... resources) {
    owned.addAll(List.of(resources));
    return this;
  }

  /** Writes the broadcast adapters into this worker's policy. */
  public void install(AdapterWeights adapters) {
    adapters.installInto(policy);
  }

  /**
   * Rolls out prompts {@code firstPrompt ..} of a step ({@code prompts} is a contiguous run of
   * them); task and group ids are those of the whole step.
   *
   * @throws io.github.dartrl.grpo.retrieval.RetrieverException when the retriever fails for good
   */
  public DistributedRollouts.RolloutBatch rollout(
      List<QaExample> prompts, int firstPrompt, int groupSize, long stepSeed) {
    long retriesBefore = retriever.retries();
    List<Trajectory> local =
        engine.rollout(
            prompts.stream().map(QaExample::question).toList(),
            groupSize,
            stepSeed,
            (long) firstPrompt * groupSize);
    RewardScoring.Batch scored = RewardScoring.scoreAll(reward, prompts, local);
    List<Trajectory> ts = new ArrayList<>();
    for (Trajectory t : local) {
      ts.add(renumbered(t, firstPrompt));
    }
    int[] all = IntStream.range(0, ts.size()).toArray();
    float[][][] oldRef = update.oldAndReference(ts, List.of(all), update.temperature());
    return new DistributedRollouts.RolloutBatch(
        ts,
        scored.rewards(),
        scored.exactMatches(),
        oldRef[0],
        oldRef[1],
        retriever.retries() - retriesBefore);
  }

  /** The gradient of a share of a mini-batch, with its diagnostics; the buffers end zeroed. */
  public GradientShare gradient(DistributedRollouts.GradientTask task) {
    List<Trajectory> ts = task.trajectories();
    int[] all = IntStream.range(0, ts.size()).toArray();
    UpdateAccumulator acc = new UpdateAccumulator();
    boolean finite =
        update.accumulate(
            ts,
            all,
            task.oldLogProbs(),
            task.refLogProbs(),
            task.advantages(),
            update.temperature(),
            acc,
            task.firstOfUpdate(),
            task.totalTokens(),
            task.totalSeqs());
    int size = 0;
    for (String name : gradients.parameters().keySet()) {
      size += Math.toIntExact(gradients.get(name).size());
    }
    float[] flat = new float[size];
    int at = 0;
    for (String name : gradients.parameters().keySet()) {
      float[] g = gradients.get(name).toFloatArray();
      System.arraycopy(g, 0, flat, at, g.length);
      at += g.length;
    }
    gradients.zero();
    return new GradientShare(flat, acc.diagnostics(), finite);
  }

  private static Trajectory renumbered(Trajectory t, int firstPrompt) {
    return new Trajectory(
        t.taskIndex() + firstPrompt,
        t.group() + firstPrompt,
        t.tokens(),
        t.roles(),
        t.logProbs(),
        t.promptLength(),
        t.responseText(),
        t.turns(),
        t.queries(),
        t.passages(),
        t.validActions(),
        t.invalidActions(),
        t.end(),
        t.truncated());
  }

  @Override
  public void close() {
    gradients.close();
    state.close();
    for (int i = owned.size() - 1; i >= 0; i--) {
      try {
        owned.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close a worker's resource", e);
      }
    }
  }
}
