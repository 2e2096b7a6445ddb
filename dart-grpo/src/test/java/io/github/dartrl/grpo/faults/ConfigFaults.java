package io.github.dartrl.grpo.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.grpo.retrieval.Bm25Params;
import io.github.dartrl.grpo.retrieval.HttpRetrieverConfig;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.sft.SftConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.util.List;

/**
 * Out-of-range values in the configuration records (validated in their compact constructors): the
 * message must name the field, the expected range and the value found. This module's configs: GRPO,
 * SFT, rollouts, the HTTP retriever, BM25 and the retrieval server.
 */
final class ConfigFaults {
  private ConfigFaults() {}

  private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  private static final FaultCase.Arrange NOTHING = w -> {};

  private static RolloutConfig rollout(int turnTokens, double topP) {
    RolloutConfig r = RolloutConfig.searchR1();
    return new RolloutConfig(
        r.maxTurns(),
        turnTokens,
        r.maxObservationTokens(),
        r.topK(),
        r.temperature(),
        topP,
        r.search(),
        r.answer(),
        r.invalidActionMessage());
  }

  static List<FaultCase> cases() {
    Category c = Category.CONFIG;
    return List.of(
        of(
            "grpo-group-size-1",
            c,
            "GrpoConfig groupSize 1",
            NOTHING,
            w -> GrpoConfig.builder().groupSize(1).build(),
            throwsA(IAE, "groupSize must be >= 2", "got 1")),
        of(
            "grpo-warmup-ratio-2",
            c,
            "GrpoConfig warmupRatio 2.0",
            NOTHING,
            w -> GrpoConfig.builder().warmupRatio(2.0).build(),
            throwsA(IAE, "warmupRatio must be in [0, 1], got 2.0")),
        of(
            "sft-learning-rate-nan",
            c,
            "SftConfig learningRate NaN",
            NOTHING,
            w -> SftConfig.builder().learningRate(Double.NaN).build(),
            throwsA(IAE, "learningRate must be > 0 and finite, got NaN")),
        of(
            "rollout-turn-tokens-0",
            c,
            "RolloutConfig maxTurnTokens 0",
            NOTHING,
            w -> rollout(0, 1.0),
            throwsA(IAE, "maxTurnTokens must be > 0, got 0")),
        of(
            "rollout-top-p-0",
            c,
            "RolloutConfig topP 0",
            NOTHING,
            w -> rollout(500, 0.0),
            throwsA(IAE, "topP must be in (0, 1], got 0.0")),
        of(
            "http-retriever-retries-101",
            c,
            "HttpRetrieverConfig maxRetries 101",
            NOTHING,
            w -> HttpRetrieverConfig.of("http://127.0.0.1:8000/retrieve").withMaxRetries(101),
            throwsA(IAE, "maxRetries must be in [0, 100], got 101")),
        of(
            "http-retriever-ftp-url",
            c,
            "retriever URL ftp://host/retrieve",
            NOTHING,
            w -> HttpRetrieverConfig.of("ftp://example.org/retrieve"),
            throwsA(IAE, "url must be http or https, got ftp://example.org/retrieve")),
        of(
            "bm25-k1-negative",
            c,
            "Bm25Params k1 -0.5",
            NOTHING,
            w -> new Bm25Params(-0.5, 0.4),
            throwsA(IAE, "k1 must be finite and >= 0")),
        of(
            "server-port-70000",
            c,
            "RetrieverServerConfig port 70000",
            NOTHING,
            w -> {
              RetrieverServerConfig d = RetrieverServerConfig.defaults();
              return new RetrieverServerConfig(
                  d.host(),
                  70000,
                  d.path(),
                  d.defaultTopK(),
                  d.maxTopK(),
                  d.maxQueries(),
                  d.maxBodyBytes(),
                  d.threads());
            },
            throwsA(IAE, "port must be in [0, 65535]")));
  }
}
