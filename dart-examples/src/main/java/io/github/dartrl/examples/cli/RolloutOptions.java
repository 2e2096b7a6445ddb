package io.github.dartrl.examples.cli;

import io.github.dartrl.core.text.ChatTemplate;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The prompt and multi-turn protocol options every command that rolls out shares ({@code
 * train-real}, {@code eval}, {@code leas}): one spelling and one default each, Search-R1's.
 */
final class RolloutOptions {
  @Option(
      names = "--template",
      defaultValue = "search-r1",
      description =
          "search-r1 (raw, base models; default), chat (instruct models: the model's own"
              + " chat_template from tokenizer_config.json), chatml (a hand-written Qwen ChatML"
              + " turn, for tokenizers without a chat_template) or file:PATH (a UTF-8 prompt with"
              + " one {question}, e.g. the quickstart's prompt.txt)")
  String template;

  @Option(
      names = "--max-turns",
      defaultValue = "4",
      description = "tool calls per trajectory (default ${DEFAULT-VALUE})")
  int maxTurns;

  @Option(
      names = "--turn-tokens",
      defaultValue = "500",
      description = "tokens sampled per turn (default ${DEFAULT-VALUE})")
  int turnTokens;

  @Option(
      names = {"--observation-tokens", "--obs-tokens"},
      description = "tokens kept of each observation (default: --turn-tokens)")
  Integer observationTokens;

  @Option(
      names = "--topk",
      defaultValue = "3",
      description = "passages per search (default ${DEFAULT-VALUE}, Search-R1's)")
  int topK;

  /** Search-R1's protocol with these options (sampling left at its defaults). */
  RolloutConfig rollout() {
    return RolloutConfig.searchR1()
        .withMaxTurns(maxTurns)
        .withTurnTokens(turnTokens, observationTokens == null ? turnTokens : observationTokens)
        .withTopK(topK);
  }

  /** The prompt template named by {@code --template}, for the model in {@code modelDir}. */
  PromptTemplate promptTemplate(Path modelDir) {
    return template(template, modelDir);
  }

  /**
   * The prompt template called {@code name}: {@code search-r1} (also spelt {@code searchr1}),
   * {@code chat}, {@code chatml} or {@code file:PATH}.
   */
  static PromptTemplate template(String name, Path modelDir) {
    return switch (name) {
      case "search-r1", "searchr1" -> PromptTemplate.searchR1();
      case "chatml" -> PromptTemplate.chatMl();
      case "chat" ->
          PromptTemplate.chat(
              ChatTemplate.fromModelDir(modelDir)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "--template chat: "
                                  + modelDir.resolve("tokenizer_config.json")
                                  + " has no chat_template; use --template chatml or search-r1")));
      default -> {
        if (name.startsWith(PromptTemplateFile.PREFIX)) {
          yield PromptTemplateFile.read(
              Path.of(name.substring(PromptTemplateFile.PREFIX.length())));
        }
        throw new IllegalArgumentException(
            "--template must be search-r1, chat, chatml or file:PATH, got " + name);
      }
    };
  }
}
