package io.github.dartrl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dart4j generate}: sample a continuation of a prompt. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Generate a continuation of a prompt (KV-cache decoding, routed adapters if given).")
public final class GenerateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(
      names = {"--prompt", "-p"},
      required = true,
      description = "prompt text")
  String prompt;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "64",
      description = "default: ${DEFAULT-VALUE}")
  int maxNewTokens;

  @Option(
      names = {"--temperature", "-t"},
      defaultValue = "0",
      description = "0 = greedy (default)")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "0 = off")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0", description = "1 = off")
  double topP;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  @Option(names = "--stop", description = "stop string (repeatable)")
  List<String> stops = new ArrayList<>();

  @Option(names = "--json", description = "print tokens, log-probs and finish reason as JSON")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (maxNewTokens <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--max-new-tokens must be > 0, got " + maxNewTokens);
    }
    try { // check the sampling options before the model is loaded
      new SamplingParams(temperature, topK, topP, maxNewTokens, stops, Set.of(), seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--temperature/--top-k/--top-p/--stop: " + e.getMessage());
    }
    try (ModelOptions.Loaded m = modelOptions.load()) {
      SamplingParams params =
          new SamplingParams(
              temperature,
              topK,
              topP,
              maxNewTokens,
              stops,
              Arrays.stream(m.tokenizer().eosTokenIds())
                  .boxed()
                  .collect(java.util.stream.Collectors.toSet()),
              seed);
      long[] ids = m.tokenizer().encode(prompt);
      if (ids.length == 0) {
        throw new IllegalArgumentException("the prompt encodes to no tokens");
      }
      // The KV cache cannot hold positions past max_position_embeddings; generating into that wall
      // threw and discarded everything generated. Stop there instead (finish reason "length").
      int room = m.model().config().maxPositions() - ids.length;
      if (room <= 0) {
        throw new IllegalArgumentException(
            "the prompt has "
                + ids.length
                + " tokens, which fills the model's max_position_embeddings ("
                + m.model().config().maxPositions()
                + "); nothing can be generated");
      }
      if (maxNewTokens > room) {
        LOG.warn(
            "--max-new-tokens {} does not fit: prompt {} + new tokens exceeds the model's"
                + " max_position_embeddings {}; generating at most {} (finish reason \"length\")",
            maxNewTokens,
            ids.length,
            m.model().config().maxPositions(),
            room);
        params = params.withMaxNewTokens(room);
      }
      Generation g;
      try (DecodeSession s =
          new DecodeSession(
              m.model(),
              List.of(ids),
              ids.length + params.maxNewTokens(),
              m.policy().schedule(1))) {
        g = s.generate(params, new boolean[] {true}, m.tokenizer()).get(0);
      }
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode out = mapper.createObjectNode();
        out.put("text", g.text());
        out.put("finish_reason", g.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        var toks = out.putArray("tokens");
        for (int i = 0; i < g.tokens().length; i++) {
          toks.addObject()
              .put("id", g.tokens()[i])
              .put("text", m.tokenizer().tokenText(g.tokens()[i]))
              .put("logprob", g.logProbs()[i])
              .put("role", g.roles()[i].name())
              .put("role_code", g.roleCodes()[i]);
        }
        spec.commandLine()
            .getOut()
            .println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out));
      } else {
        spec.commandLine().getOut().println(g.text());
      }
    }
    return 0;
  }
}
