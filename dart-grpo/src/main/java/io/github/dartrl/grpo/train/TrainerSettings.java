package io.github.dartrl.grpo.train;

import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Trainer} is built from, set through {@link Trainer#builder()}: the policy (and the
 * 2-Agent tool model), tokenizer, retriever and its failure policy, prompt template, reward, data,
 * config, run directory, resume, base model, plots and listeners.
 *
 * @param <B> the builder type the setters return
 */
public abstract class TrainerSettings<B extends TrainerSettings<B>> {
  Policy policy;
  TextTokenizer tokenizer;
  Retriever retriever;
  PromptTemplate template = PromptTemplate.searchR1();
  RewardFunction reward;
  QaDataset train;
  QaDataset eval;
  GrpoConfig config;
  Path runDir;
  boolean resume;
  Path baseModel;
  RetrieverFailurePolicy onRetrieverFailure = RetrieverFailurePolicy.defaults();
  Policy toolAgent;
  List<io.github.dartrl.grpo.tool.Tool> extraTools = List.of();
  java.util.function.Consumer<Gradients> afterBackward;
  boolean plots = true;
  DistributedRollouts distributed;
  final List<TrainerListener> listeners = new ArrayList<>();

  public B policy(Policy v) {
    policy = v;
    return self();
  }

  public B tokenizer(TextTokenizer v) {
    tokenizer = v;
    return self();
  }

  public B retriever(Retriever v) {
    retriever = v;
    return self();
  }

  /**
   * Tools beside search over the retriever (e.g. SQL), in the order of the policy's spans after
   * {@code <search>}; default none.
   */
  public B extraTools(List<io.github.dartrl.grpo.tool.Tool> v) {
    extraTools = List.copyOf(v);
    return self();
  }

  /**
   * Retries and the outcome when the retriever fails; default {@link
   * RetrieverFailurePolicy#defaults()} (2 retries from 1 s, then stop).
   */
  public B onRetrieverFailure(RetrieverFailurePolicy v) {
    onRetrieverFailure = v;
    return self();
  }

  public B promptTemplate(PromptTemplate v) {
    template = v;
    return self();
  }

  public B reward(RewardFunction v) {
    reward = v;
    return self();
  }

  public B trainData(QaDataset v) {
    train = v;
    return self();
  }

  public B evalData(QaDataset v) {
    eval = v;
    return self();
  }

  public B config(GrpoConfig v) {
    config = v;
    return self();
  }

  public B runDir(Path v) {
    runDir = v;
    return self();
  }

  /**
   * Continue from the latest checkpoint in the run directory, if there is one (it must have been
   * made with the same config, policies and {@link #baseModel}). Without it, a run directory
   * holding an earlier run is refused.
   */
  public B resume(boolean v) {
    resume = v;
    return self();
  }

  /** The HF directory the backbone was loaded from: recorded in checkpoints, checked on resume. */
  public B baseModel(Path v) {
    baseModel = v;
    return self();
  }

  /**
   * The 2-Agent baseline: {@link #policy} becomes the reasoner and this independent model writes
   * the tool calls; each is trained on its own tokens with the shared advantages.
   */
  public B toolAgent(Policy v) {
    toolAgent = v;
    return self();
  }

  /** For fault tests: sees (and may poison) each mini-batch's gradients before the check. */
  B afterBackward(java.util.function.Consumer<Gradients> v) {
    afterBackward = v;
    return self();
  }

  /**
   * Draw the metric charts into {@code <runDir>/plots} when {@code fit} ends (default true; a
   * {@link PlotListener}, which draws nothing when JFreeChart is not on the class path).
   */
  public B plots(boolean v) {
    plots = v;
    return self();
  }

  /**
   * Run each step's rollouts and adapter gradients on workers (e.g. {@code
   * io.github.dartrl.grpo.distributed.SparkRollouts} over a Spark session) instead of in this
   * process; the driver keeps the state, the loop and the checkpoints. Null (the default) trains
   * locally. Single routed policies with adapters (DART, LoRA) only.
   */
  public B distributed(DistributedRollouts v) {
    distributed = v;
    return self();
  }

  public B listener(TrainerListener v) {
    listeners.add(v);
    return self();
  }

  TrainerSettings() {}

  abstract B self();
}
