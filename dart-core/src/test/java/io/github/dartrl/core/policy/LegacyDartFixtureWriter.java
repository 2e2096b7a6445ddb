package io.github.dartrl.core.policy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Writes the committed fixture {@code fixtures/dart-v1} (a two-adapter DART checkpoint in the
 * dart.json version 1 format, and the log-probs it gives on one sequence) with the code of the
 * commit it runs on. Not a test (surefire's name patterns skip it); run it on purpose:
 *
 * <pre>
 * ./mvnw -B -q -pl dart-core test -Dtest=LegacyDartFixtureWriter -Dfuzz.skip=true \
 *   -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dfixture.out=$PWD/dart-core/src/test/resources/fixtures/dart-v1
 * </pre>
 *
 * {@code LegacyDartCheckpointTest} loads it with today's code and compares the log-probs.
 */
class LegacyDartFixtureWriter {
  /** The toy vocabulary: the search tags are split into two pieces each. */
  static final String[] PIECES = {
    "<sea", "rch>", "</sea", " who", " is", " x", " y", ".", " the", " a", " b"
  };

  static final Detokenizer DETOK =
      ids -> Arrays.stream(ids).mapToObj(i -> PIECES[(int) i]).collect(Collectors.joining());

  /** One prompt token, then two search spans with reasoning around them. */
  static final long[] SEQ = {3, 0, 1, 4, 5, 2, 1, 8, 9, 0, 1, 6, 2, 1, 7};

  /** Backbone: {@code TestModels.sharp(root, PIECES.length, MODEL_SEED)}. */
  static final long MODEL_SEED = 5;

  @Test
  void write() throws Exception {
    String out = System.getProperty("fixture.out");
    if (out == null) {
      throw new IllegalStateException("set -Dfixture.out=DIR");
    }
    Path dir = Path.of(out);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PIECES.length, MODEL_SEED);
        Policy policy = Policy.create(model, PolicyConfig.dart(), DETOK)) {
      PolicyTest.randomizeB(policy.adapters(), 9);
      PolicyCheckpoint.save(policy, dir.resolve("adapters"), "tiny");
      int[] roles = new int[SEQ.length];
      TokenRole[] sampled = policy.router().roles(Arrays.copyOfRange(SEQ, 1, SEQ.length));
      roles[0] = TokenRole.PROMPT.code();
      for (int i = 1; i < SEQ.length; i++) {
        roles[i] = sampled[i - 1].code();
      }
      SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(roles), 0);
      float[] lp;
      try (GradMode off = GradMode.disabled();
          NDManager s = model.newScope()) {
        lp = policy.logProbs(s, batch, 1f).toFloatArray();
      }
      ObjectMapper json = new ObjectMapper();
      ObjectNode n = json.createObjectNode();
      n.put("model_seed", MODEL_SEED);
      ArrayNode t = n.putArray("tokens");
      Arrays.stream(SEQ).forEach(t::add);
      ArrayNode r = n.putArray("roles");
      Arrays.stream(roles).forEach(r::add);
      ArrayNode l = n.putArray("log_probs");
      for (float v : lp) {
        l.add(v);
      }
      Files.createDirectories(dir);
      json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("expected.json").toFile(), n);
    }
  }
}
