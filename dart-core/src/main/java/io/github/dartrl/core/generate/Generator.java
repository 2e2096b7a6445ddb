package io.github.dartrl.core.generate;

import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.text.Detokenizer;
import java.util.Arrays;
import java.util.List;

/** One-shot batched generation: prefill the prompts, sample until every row stops. */
public final class Generator {
  private Generator() {}

  /**
   * Generates a continuation of each prompt.
   *
   * @param schedule adapter per position ({@link AdapterSchedule#NONE} for the bare backbone)
   */
  public static List<Generation> generate(
      DecoderModel model,
      List<long[]> prompts,
      SamplingParams params,
      Detokenizer detok,
      AdapterSchedule schedule) {
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
    boolean[] all = new boolean[prompts.size()];
    Arrays.fill(all, true);
    try (DecodeSession session =
        new DecodeSession(model, prompts, longest + params.maxNewTokens(), schedule)) {
      return session.generate(params, all, detok);
    }
  }

  /** Generation with the bare backbone. */
  public static List<Generation> generate(
      DecoderModel model, List<long[]> prompts, SamplingParams params, Detokenizer detok) {
    return generate(model, prompts, params, detok, AdapterSchedule.NONE);
  }
}
