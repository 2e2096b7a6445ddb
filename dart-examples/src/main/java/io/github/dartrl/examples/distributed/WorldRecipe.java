package io.github.dartrl.examples.distributed;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.distributed.WorkerRecipe;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.ExecutorStep;
import io.github.dartrl.grpo.train.RetrieverFailurePolicy;
import java.nio.file.Path;

/**
 * The worker of {@link SparkCheck}: the bundled world's tiny model (from a directory every executor
 * reads), its BM25 index at a shared path, the EM reward and {@link CheckSettings}' config.
 */
record WorldRecipe(String modelDir, String indexDir, String modelKey, CheckSettings settings)
    implements WorkerRecipe {

  @Override
  public ExecutorStep open() {
    NDManager root = NDManager.newBaseManager("PyTorch");
    DecoderModel model = HfCheckpoint.load(Path.of(modelDir), root);
    TextTokenizer tok = TextTokenizer.load(Path.of(modelDir));
    Policy policy = Policy.create(model, settings.policy(), tok);
    LuceneBm25Retriever retriever = LuceneBm25Retriever.open(Path.of(indexDir));
    return new ExecutorStep(
            policy,
            tok,
            retriever,
            PromptTemplate.searchR1(),
            RewardFunctions.named("em"),
            settings.grpo(),
            RetrieverFailurePolicy.defaults())
        .closing(root, model, tok, policy, retriever);
  }
}
