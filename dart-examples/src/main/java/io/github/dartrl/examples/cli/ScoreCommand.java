package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.NonFiniteOutputException;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j score}: the log-probability of every token of a text given the tokens before it
 * (the first token has none), as JSON.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = "Print one log-prob per token of a text as JSON.")
public final class ScoreCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--text", required = true, description = "text to score")
  String text;

  @Option(
      names = "--prompt-tokens",
      defaultValue = "0",
      description =
          "leading tokens that are prompt, 0 to the text's token count (the first token is always"
              + " prompt); the rest is routed as a sampled response")
  int promptTokens;

  @Override
  public Integer call() throws Exception {
    try (ModelOptions.Loaded m = modelOptions.load()) {
      long[] ids = m.tokenizer().encode(text);
      if (ids.length == 0) {
        throw new IllegalArgumentException("the text encodes to no tokens");
      }
      if (promptTokens < 0 || promptTokens > ids.length) {
        throw new ParameterException(
            spec.commandLine(),
            "--prompt-tokens must be between 0 and "
                + ids.length
                + " (the text encodes to "
                + ids.length
                + " tokens), got "
                + promptTokens);
      }
      int prompt = Math.max(promptTokens, 1); // the first token has no log-prob: always prompt
      int[] roles = new int[ids.length];
      int[] sampled = m.policy().router().roleCodes(Arrays.copyOfRange(ids, prompt, ids.length));
      for (int i = 0; i < ids.length; i++) {
        roles[i] = i < prompt ? TokenRole.PROMPT.code() : sampled[i - prompt];
      }
      float[] lp;
      try (GradMode off = GradMode.disabled();
          NDManager scope = m.model().newScope()) {
        lp =
            m.policy()
                .logProbs(scope, new SequenceBatch(List.of(ids), List.of(roles), 0), 1f)
                .toFloatArray();
      }
      for (int i = 0; i < lp.length; i++) {
        if (!Float.isFinite(lp[i])) { // NaN from overflowing activations would print as a score
          throw new NonFiniteOutputException(
              "log-probability", "token " + (i + 1) + " (id " + ids[i + 1] + ")", lp[i]);
        }
      }
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode out = mapper.createObjectNode();
      ArrayNode toks = out.putArray("tokens");
      double total = 0;
      for (int i = 0; i < ids.length; i++) {
        ObjectNode t =
            toks.addObject().put("id", ids[i]).put("text", m.tokenizer().tokenText(ids[i]));
        t.put("role", TokenRole.ofCode(roles[i]).name()).put("role_code", roles[i]);
        if (i == 0) {
          t.putNull("logprob");
        } else {
          t.put("logprob", lp[i - 1]);
          total += lp[i - 1];
        }
      }
      out.put("total_logprob", total);
      spec.commandLine()
          .getOut()
          .println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
    return 0;
  }
}
