package io.github.dartrl.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code --reward em|subem|f1|format}, shared by train-real, eval and leas probe, so that an
 * evaluation or a probe scores answers by the name a training run recorded.
 */
final class RewardOption {
  @Option(names = "--reward", defaultValue = "em", description = "em, subem, f1 or format")
  String reward;
}
