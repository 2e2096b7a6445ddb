package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YaRN and dynamic NTK against golden tables from {@code scripts/oracle/rope_scaling.py}, an
 * independent numpy transcription of transformers' {@code _compute_yarn_parameters} and {@code
 * _compute_dynamic_ntk_parameters}.
 */
class RopeScalingGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode goldens() throws Exception {
    try (InputStream in =
        RopeScalingGoldenTest.class.getResourceAsStream("/fixtures/rope/rope_goldens.json")) {
      return JSON.readTree(in);
    }
  }

  @Test
  void inverseFrequenciesAndAttentionScalingMatchTransformers() throws Exception {
    JsonNode cases = goldens().get("cases");
    assertThat(cases).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      ModelConfig config = new ConfigParser(Path.of(name), c.get("config")).parse();
      float[] inv =
          config
              .ropeScaling()
              .inverseFrequencies(
                  config.headDim(),
                  config.ropeTheta(),
                  config.maxPositions(),
                  c.get("seq_len").asInt());
      JsonNode expected = c.get("inv_freq");
      assertThat(inv).as(name).hasSize(expected.size());
      for (int i = 0; i < inv.length; i++) {
        double e = expected.get(i).asDouble();
        assertThat((double) inv[i])
            .as(name + " inv_freq[" + i + "]")
            .isCloseTo(e, within(2e-6 * e));
      }
      assertThat(config.ropeScaling().attentionScaling(config.maxPositions()))
          .as(name + " attention scaling")
          .isCloseTo(c.get("attention_scaling").asDouble(), within(1e-12));
    }
  }

  @Test
  void yarnAndDynamicChangeTheFrequenciesWhereTransformersDoes() throws Exception {
    // Guards the goldens themselves: the cases must exercise real scaling, not the identity.
    JsonNode cases = goldens().get("cases");
    for (JsonNode c : cases) {
      ModelConfig config = new ConfigParser(Path.of("x"), c.get("config")).parse();
      float[] plain =
          RopeScaling.none()
              .inverseFrequencies(config.headDim(), config.ropeTheta(), config.maxPositions());
      float[] scaled =
          config
              .ropeScaling()
              .inverseFrequencies(
                  config.headDim(),
                  config.ropeTheta(),
                  config.maxPositions(),
                  c.get("seq_len").asInt());
      String name = c.get("name").asText();
      boolean identity = name.equals("qwen2.5-readme-yarn") || name.equals("dynamic-at-max");
      if (identity) {
        for (int i = 0; i < plain.length; i++) {
          assertThat(scaled[i]).as(name).isCloseTo(plain[i], within(1e-6f * plain[i]));
        }
      } else {
        assertThat(scaled).as(name).isNotEqualTo(plain);
        assertThat(scaled[scaled.length - 1]).as(name).isLessThan(plain[plain.length - 1]);
      }
    }
  }

  @Test
  void yarnConfigRoundTripsThroughToJson(@TempDir Path tmp) throws Exception {
    for (JsonNode c : goldens().get("cases")) {
      Path file = tmp.resolve("config.json");
      Files.writeString(file, c.get("config").toString());
      ModelConfig config = ModelConfig.read(file);
      Files.write(file, config.toJson().toString().getBytes(StandardCharsets.UTF_8));
      assertThat(ModelConfig.read(file)).as(c.get("name").asText()).isEqualTo(config);
    }
  }

  @Test
  void longropeIsStillRejectedNamingTheSupportedTypes(@TempDir Path tmp) throws Exception {
    JsonNode c = goldens().get("cases").get(0).get("config").deepCopy();
    ((ObjectNode) c).putObject("rope_scaling").put("rope_type", "longrope").put("factor", 4.0);
    Path file = Files.writeString(tmp.resolve("config.json"), c.toString());
    assertThatThrownBy(() -> ModelConfig.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("longrope")
        .hasMessageContaining("yarn")
        .hasMessageContaining("dynamic");
  }

  @Test
  void yarnRejectsBetaFastBelowBetaSlow(@TempDir Path tmp) throws Exception {
    JsonNode c = goldens().get("cases").get(2).get("config").deepCopy();
    ((ObjectNode) c.get("rope_scaling")).put("beta_fast", 1.0).put("beta_slow", 8.0);
    Path file = Files.writeString(tmp.resolve("config.json"), c.toString());
    assertThatThrownBy(() -> ModelConfig.read(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("beta_fast");
  }
}
