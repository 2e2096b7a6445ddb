package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Both untrusted-JSON readers (the general one and the checkpoint-header one) refuse ambiguity. */
class UntrustedJsonTest {

  @Test
  void duplicateKeyIsAnErrorNotLastOneWins() {
    assertThatThrownBy(() -> UntrustedJson.newMapper().readTree("{\"topk\": 1, \"topk\": 100}"))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Duplicate field 'topk'");
  }

  @Test
  void checkpointHeaderParserSharesTheStrictFactory() {
    byte[] bytes = "{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Json.parseObject(bytes, Path.of("m.safetensors"), "header"))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("m.safetensors")
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void distinctKeysStillParse() throws Exception {
    assertThat(
            UntrustedJson.newMapper()
                .readTree("{\"a\": 1, \"b\": {\"a\": 2}}")
                .get("b")
                .get("a")
                .asInt())
        .isEqualTo(2);
  }
}
