package io.github.dartrl.grpo.train;

import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.sft.Demonstration;
import io.github.dartrl.grpo.sft.SftConfig;
import io.github.dartrl.grpo.sft.SftTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Teaches a tiny model one fixed answer: SFT on demonstrations that are each prompt (role PROMPT)
 * followed by the answer (REASONING), long enough (40 epochs at learning rate 1e-2) that greedy
 * decoding then gives exactly that answer to each of those prompts. Evaluation tests use it to get
 * a model whose exact match they know in advance.
 */
public final class FixedAnswerSft {
  private FixedAnswerSft() {}

  /** Each prompt followed by {@code answer}: the prompt's tokens PROMPT, the answer's REASONING. */
  public static List<Demonstration> demonstrations(
      TextTokenizer tok, List<String> prompts, String answer) {
    long[] answerIds = tok.encode(answer);
    List<Demonstration> out = new ArrayList<>();
    for (String text : prompts) {
      long[] prompt = tok.encode(text);
      long[] ids = LongStream.concat(LongStream.of(prompt), LongStream.of(answerIds)).toArray();
      int[] roles = new int[ids.length];
      for (int k = 0; k < ids.length; k++) {
        roles[k] = (k < prompt.length ? TokenRole.PROMPT : TokenRole.REASONING).code();
      }
      out.add(new Demonstration(ids, roles));
    }
    return out;
  }

  /**
   * Fine-tunes {@code policy} (its trainable parameters, e.g. the whole model for FULL) on {@link
   * #demonstrations} of {@code prompts} (template already applied) and {@code answer}.
   */
  public static void teach(Policy policy, TextTokenizer tok, List<String> prompts, String answer) {
    SftTrainer.builder()
        .policy(policy)
        .config(
            SftConfig.builder()
                .learningRate(1e-2)
                .epochs(40)
                .batchSize(3)
                .microBatchSize(3)
                .warmupRatio(0)
                .seed(1)
                .build())
        .padId(tok.padTokenId().orElse(0))
        .build()
        .fit(demonstrations(tok, prompts, answer));
  }
}
