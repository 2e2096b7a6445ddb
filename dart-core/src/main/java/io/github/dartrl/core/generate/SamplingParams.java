package io.github.dartrl.core.generate;

import java.util.List;
import java.util.Set;

/**
 * How to choose tokens.
 *
 * @param temperature 0 for greedy; otherwise logits are divided by it
 * @param topK keep the k most likely tokens (0 = off)
 * @param topP keep the smallest set whose probability reaches p (1 = off)
 * @param maxNewTokens stop after this many sampled tokens (finish reason LENGTH)
 * @param stopStrings stop once the decoded response contains one of these (may span tokens)
 * @param eosTokenIds stop when one of these ids is sampled (it is kept, with its log-prob)
 * @param seed sampling seed; row i of a batch uses a stream derived from (seed, i)
 */
public record SamplingParams(
    double temperature,
    int topK,
    double topP,
    int maxNewTokens,
    List<String> stopStrings,
    Set<Long> eosTokenIds,
    long seed) {

  public SamplingParams {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be > 0, got " + maxNewTokens);
    }
    stopStrings = List.copyOf(stopStrings);
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("stop strings must not be empty");
      }
    }
    eosTokenIds = Set.copyOf(eosTokenIds);
  }

  /** Greedy decoding. */
  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(0, 0, 1, maxNewTokens, List.of(), Set.of(), 0);
  }

  /** Plain sampling at a temperature. */
  public static SamplingParams sample(double temperature, int maxNewTokens, long seed) {
    return new SamplingParams(temperature, 0, 1, maxNewTokens, List.of(), Set.of(), seed);
  }

  public SamplingParams withStopStrings(List<String> stops) {
    return new SamplingParams(temperature, topK, topP, maxNewTokens, stops, eosTokenIds, seed);
  }

  public SamplingParams withEos(Set<Long> eos) {
    return new SamplingParams(temperature, topK, topP, maxNewTokens, stopStrings, eos, seed);
  }

  public SamplingParams withMaxNewTokens(int n) {
    return new SamplingParams(temperature, topK, topP, n, stopStrings, eosTokenIds, seed);
  }

  public SamplingParams withTopKTopP(int k, double p) {
    return new SamplingParams(temperature, k, p, maxNewTokens, stopStrings, eosTokenIds, seed);
  }

  public SamplingParams withSeed(long s) {
    return new SamplingParams(temperature, topK, topP, maxNewTokens, stopStrings, eosTokenIds, s);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }
}
