package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

  private static BoundedLineReader reader(byte[] bytes, int max) {
    return new BoundedLineReader(
        new ByteArrayInputStream(bytes),
        max,
        "too long",
        (line, reason, cause) -> new IllegalStateException("line " + line + ": " + reason, cause));
  }

  @Test
  void splitsOnLfAndCrlfStripsTheBomAndCountsLines() throws Exception {
    byte[] bytes = "\uFEFFone\r\ntwo\n\nthree".getBytes(StandardCharsets.UTF_8);
    try (BoundedLineReader r = reader(bytes, 16)) {
      assertThat(r.readLine()).isEqualTo("one");
      assertThat(r.readLine()).isEqualTo("two");
      assertThat(r.readLine()).isEmpty();
      assertThat(r.readLine()).isEqualTo("three");
      assertThat(r.lineNumber()).isEqualTo(4);
      assertThat(r.readLine()).isNull();
    }
  }

  @Test
  void aLineOverTheBoundFailsThroughTheCallersFailure() throws Exception {
    byte[] bytes = "ok\n12345678901\n".getBytes(StandardCharsets.UTF_8);
    try (BoundedLineReader r = reader(bytes, 10)) {
      assertThat(r.readLine()).isEqualTo("ok");
      assertThatThrownBy(r::readLine).hasMessage("line 2: too long");
    }
  }

  @Test
  void aLineOfExactlyTheBoundWithCrlfIsAccepted() throws Exception {
    byte[] bytes = "1234567890\r\n".getBytes(StandardCharsets.UTF_8);
    try (BoundedLineReader r = reader(bytes, 10)) {
      assertThat(r.readLine()).isEqualTo("1234567890");
    }
  }

  @Test
  void invalidUtf8NamesItsOwnLine() throws Exception {
    byte[] bytes = {'a', '\n', (byte) 0xFF, '\n'};
    try (BoundedLineReader r = reader(bytes, 10)) {
      assertThat(r.readLine()).isEqualTo("a");
      assertThatThrownBy(r::readLine).hasMessage("line 2: not valid UTF-8");
    }
  }
}
