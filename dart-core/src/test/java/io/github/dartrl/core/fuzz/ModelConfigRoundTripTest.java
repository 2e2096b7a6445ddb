package io.github.dartrl.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regression test for a config.json found by {@link ModelConfigFuzzTest}. */
class ModelConfigRoundTripTest {

  @Test
  void linearRopeScalingIgnoresLlama3OnlyFieldsSoItRoundTrips(@TempDir Path tmp) throws Exception {
    // Found by fuzzing: llama3-only fields under a linear rope_scaling were kept, toJson() then
    // dropped them, and the config no longer equalled its own saved form.
    String json =
        "{\"model_type\": \"llama\", \"hidden_size\": 64, \"intermediate_size\": 128,"
            + " \"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"vocab_size\": 101,"
            + " \"max_position_embeddings\": 128, \"rope_scaling\": {\"rope_type\": \"linear\","
            + " \"factor\": 8.0, \"high_freq_factor\": 0.0,"
            + " \"original_max_position_embeddings\": 64}}";
    ModelConfig c = ModelConfig.read(Files.writeString(tmp.resolve("config.json"), json));
    assertThat(c.ropeScaling().type()).isEqualTo("linear");
    assertThat(c.ropeScaling().factor()).isEqualTo(8.0);
    Path again =
        Files.write(
            tmp.resolve("again.json"), c.toJson().toString().getBytes(StandardCharsets.UTF_8));
    assertThat(ModelConfig.read(again)).isEqualTo(c);
  }
}
