package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replaceSwapsInTheNewContentAndLeavesNoStaging(@TempDir Path root) throws Exception {
    Path target = root.resolve("ckpt");
    AtomicDirectory.replace(target, d -> Files.writeString(d.resolve("a"), "1"));
    AtomicDirectory.replace(target, d -> Files.writeString(d.resolve("b"), "2"));
    assertThat(names(target)).containsExactly("b");
    assertThat(names(root)).containsExactly("ckpt");
  }

  @Test
  void aFailingWriterLeavesThePreviousDirectoryAndNoStaging(@TempDir Path root) throws Exception {
    Path target = root.resolve("ckpt");
    AtomicDirectory.replace(target, d -> Files.writeString(d.resolve("a"), "1"));
    assertThatThrownBy(
            () ->
                AtomicDirectory.replace(
                    target,
                    d -> {
                      Files.writeString(d.resolve("partial"), "x");
                      throw new IOException("No space left on device");
                    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(target.toAbsolutePath().toString())
        .hasMessageContaining("No space left on device");
    assertThat(names(root)).containsExactly("ckpt");
    assertThat(Files.readString(target.resolve("a"))).isEqualTo("1");
  }

  @Test
  void recoverRemovesLeftoversAndRestoresAnInterruptedReplacement(@TempDir Path root)
      throws Exception {
    Files.createDirectories(root.resolve(".a.tmp-123")); // killed while staging a
    Files.createDirectories(root.resolve("b"));
    Files.createDirectories(root.resolve(".b.old-5")); // killed after b's swap, before cleanup
    Files.createDirectories(root.resolve(".c.old-7")); // killed between the two renames of c
    Files.writeString(root.resolve(".c.old-7/data"), "previous c");
    Files.createDirectories(root.resolve(".d.del-9")); // killed while deleting d
    Files.writeString(root.resolve(".keep"), "a hidden file that is none of ours");
    assertThat(AtomicDirectory.recover(root)).hasSize(4);
    assertThat(names(root)).containsExactly(".keep", "b", "c");
    assertThat(Files.readString(root.resolve("c/data"))).isEqualTo("previous c");
  }

  @Test
  void deleteRenamesAwayFirst(@TempDir Path root) throws Exception {
    Path d = root.resolve("old");
    Files.createDirectories(d.resolve("x"));
    Files.writeString(d.resolve("x/y"), "z");
    AtomicDirectory.delete(d);
    assertThat(names(root)).isEmpty();
    AtomicDirectory.delete(d); // absent: nothing to do
  }
}
