package io.github.dartrl.grpo.train;

import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.tool.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Trainer} is built from: the values of its builder's setters ({@link
 * TrainerSettings}), whose generated implementation calls this record's constructor.
 *
 * @param policy the trained policy (the reasoner in the 2-Agent baseline)
 * @param tokenizer turns token ids into text and back
 * @param retriever what {@code <search>} queries
 * @param promptTemplate the prompt each question is put in; default Search-R1's
 * @param reward scores each completion
 * @param trainData the questions trained on
 * @param evalData the questions evaluated on; none if null
 * @param config the GRPO settings
 * @param runDir where metrics, checkpoints and plots go
 * @param resume continue from the latest checkpoint in the run directory, if there is one (it must
 *     have been made with the same config, policies and {@link #baseModel}). Without it, a run
 *     directory holding an earlier run is refused
 * @param baseModel the HF directory the backbone was loaded from: recorded in checkpoints, checked
 *     on resume; null if unknown
 * @param onRetrieverFailure retries and the outcome when the retriever fails; default {@link
 *     RetrieverFailurePolicy#defaults()} (2 retries from 1 s, then stop)
 * @param toolAgent the 2-Agent baseline: {@link #policy} becomes the reasoner and this independent
 *     model writes the tool calls; each is trained on its own tokens with the shared advantages.
 *     Null for a single policy
 * @param extraTools tools beside search over the retriever (e.g. SQL), in the order of the policy's
 *     spans after {@code <search>}; default none
 * @param afterBackward for fault tests: sees (and may poison) each mini-batch's gradients before
 *     the check; null normally
 * @param plots draw the metric charts into {@code <runDir>/plots} when {@code fit} ends (default
 *     true; a {@link PlotListener}, which draws nothing when JFreeChart is not on the class path)
 * @param distributed run each step's rollouts and adapter gradients on workers (e.g. {@code
 *     io.github.dartrl.grpo.distributed.SparkRollouts} over a Spark session) instead of in this
 *     process; the driver keeps the state, the loop and the checkpoints. Null (the default) trains
 *     locally. Single routed policies with adapters (DART, LoRA) only
 * @param listeners told of each step, evaluation and checkpoint, in order
 */
record TrainerParts(
    Policy policy,
    TextTokenizer tokenizer,
    Retriever retriever,
    PromptTemplate promptTemplate,
    RewardFunction reward,
    QaDataset trainData,
    @Nullable QaDataset evalData,
    GrpoConfig config,
    Path runDir,
    boolean resume,
    @Nullable Path baseModel,
    RetrieverFailurePolicy onRetrieverFailure,
    @Nullable Policy toolAgent,
    List<Tool> extraTools,
    @Nullable Consumer<Gradients> afterBackward,
    boolean plots,
    @Nullable DistributedRollouts distributed,
    List<TrainerListener> listeners) {

  /** Copies the lists. */
  TrainerParts {
    extraTools = List.copyOf(extraTools);
    listeners = List.copyOf(Objects.requireNonNull(listeners, "listeners"));
  }
}
