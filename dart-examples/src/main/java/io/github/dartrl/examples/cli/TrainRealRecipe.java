package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.real.TrainRealConfig;
import io.github.dartrl.grpo.distributed.WorkerRecipe;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.train.ExecutorStep;
import io.github.dartrl.grpo.train.RetrieverFailurePolicy;
import picocli.CommandLine;

/**
 * An executor's worker of {@code train-real --spark-master}: the driver's own {@code train-real}
 * arguments parsed again, so the model, method, template, reward, retriever and GRPO config are the
 * driver's. Every node must read the same --model, and --index (or --retriever-url; with --corpus,
 * OUT/index as the driver built it).
 *
 * @param args the {@code train-real} arguments
 * @param modelKey the backbone's path and content hash
 */
record TrainRealRecipe(String[] args, String modelKey) implements WorkerRecipe {

  @Override
  public ExecutorStep open() {
    TrainRealCommand cmd = new TrainRealCommand();
    new CommandLine(cmd).parseArgs(args);
    TrainRealConfig c = cmd.config();
    NDManager root = NDManager.newBaseManager();
    DecoderModel model = HfCheckpoint.load(c.model(), root);
    TextTokenizer tok = TextTokenizer.load(c.model());
    Retriever retriever = c.retriever().open(c.out().resolve("index"));
    Policy policy = Policy.create(model, c.method().policy(c.dart()), tok);
    return new ExecutorStep(
            policy,
            tok,
            retriever,
            c.template(),
            RewardFunctions.named(c.reward()),
            c.methodGrpo(),
            RetrieverFailurePolicy.defaults())
        .closing(root, model, tok, policy, retriever);
  }
}
