package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TestModels;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint written by the two-adapter DART of before per-tool adapters (dart.json version 1,
 * committed in {@code fixtures/dart-v1} with its provenance) still loads, as a one-tool DART with
 * the reasoning and tool adapters, and gives the log-probs it gave when it was written.
 */
class LegacyDartCheckpointTest {

  @Test
  void versionOneDartCheckpointLoadsWithIdenticalLogProbs() throws Exception {
    Path fixture = resource("fixtures/dart-v1");
    JsonNode expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
    long[] tokens = longs(expected.get("tokens"));
    int[] roles =
        StreamSupport.stream(expected.get("roles").spliterator(), false)
            .mapToInt(JsonNode::asInt)
            .toArray();
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model =
            TestModels.sharp(
                root, LegacyDartFixtureWriter.PIECES.length, expected.get("model_seed").asLong());
        Policy p =
            PolicyCheckpoint.load(
                model,
                fixture.resolve("adapters"),
                LegacyDartFixtureWriter.DETOK,
                NonFiniteWeights.REJECT,
                BaseModelCheck.WARN)) {
      assertThat(p.method()).isEqualTo(Method.DART);
      assertThat(p.adapters().configs())
          .extracting(c -> c.name())
          .containsExactly("reasoning", "tool");
      assertThat(p.config().spans()).hasSize(1);
      assertThat(p.roleMap().adapterForCode(2)).isEqualTo(Method.TOOL_ADAPTER);
      SequenceBatch batch = new SequenceBatch(List.of(tokens), List.of(roles), 0);
      float[] lp;
      try (GradMode off = GradMode.disabled();
          NDManager s = model.newScope()) {
        lp = p.logProbs(s, batch, 1f).toFloatArray();
      }
      JsonNode want = expected.get("log_probs");
      assertThat(lp).hasSize(want.size());
      for (int i = 0; i + 1 < lp.length; i++) {
        assertThat(lp[i]).as("position %d", i).isCloseTo(want.get(i).floatValue(), within(1e-6f));
      }
    }
  }

  private static long[] longs(JsonNode a) {
    return StreamSupport.stream(a.spliterator(), false).mapToLong(JsonNode::asLong).toArray();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(LegacyDartCheckpointTest.class.getClassLoader().getResource(name).toURI());
  }
}
