package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic, durable writer (dart-grpo's copy, which never fsynced, is gone). */
class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void createsParentsAndReplacesTheTarget() throws IOException {
    Path target = dir.resolve("a/b/file.txt");
    AtomicFiles.write(target, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
    AtomicFiles.write(target, out -> out.write("two".getBytes(StandardCharsets.UTF_8)));
    assertThat(target).hasContent("two");
    try (var files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aFailedWriteLeavesTheTargetAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("file.txt");
    Files.writeString(target, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
    assertThat(target).hasContent("old");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void theResultIsNotOwnerOnly() throws IOException {
    // Files.createTempFile would leave 0600; results are meant to be read by others.
    Path target = dir.resolve("shared.csv");
    AtomicFiles.write(target, out -> out.write('x'));
    if (target.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Path reference = Files.createFile(dir.resolve("reference"));
      assertThat(Files.getPosixFilePermissions(target))
          .isEqualTo(Files.getPosixFilePermissions(reference));
    }
  }

  @Test
  void aRelativeTargetWorks() throws IOException {
    Path relative = Path.of("target", "atomic-files-test.txt");
    try {
      AtomicFiles.write(relative, out -> out.write('x'));
      assertThat(relative).hasContent("x");
    } finally {
      Files.deleteIfExists(relative);
    }
  }

  @Test
  void aFailureKeepsTheOperatingSystemsReasonInTheMessage() {
    Path target = dir.resolve("model.safetensors");
    assertThatThrownBy(
            () ->
                AtomicFiles.writeChannel(
                    target,
                    ch -> {
                      throw new FileSystemException(
                          target.toString(), null, "No space left on device");
                    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write " + target)
        .hasMessageContaining("No space left on device");
    assertThat(IoErrors.reason(new AccessDeniedException("/ro/x")))
        .isEqualTo("/ro/x (AccessDeniedException)");
  }

  @Test
  void theContentIsOnDiskWhenWriteReturns() throws IOException {
    // the stream is flushed into the channel before it is forced: nothing stays in a buffer
    Path target = dir.resolve("big.bin");
    byte[] data = new byte[200_000];
    Arrays.fill(data, (byte) 7);
    AtomicFiles.write(target, out -> out.write(data));
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
  }

  @Test
  void aBodyThatClosesItsStreamStillWritesDurably() throws IOException {
    // Jackson's writeValue(OutputStream, ...) closes the stream it is given
    Path target = dir.resolve("closed.json");
    AtomicFiles.write(
        target,
        out -> {
          out.write("{}".getBytes(StandardCharsets.UTF_8));
          out.close();
        });
    assertThat(target).hasContent("{}");
  }
}
