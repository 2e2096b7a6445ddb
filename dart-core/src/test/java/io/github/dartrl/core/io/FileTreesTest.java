package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @Test
  void deletesANestedTreeAndLeavesItsSiblings(@TempDir Path dir) throws Exception {
    Path tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/c.txt"), "x");
    Files.writeString(tree.resolve("top.txt"), "y");
    Files.writeString(dir.resolve("sibling.txt"), "z");

    FileTrees.deleteTree(tree);

    assertThat(tree).doesNotExist();
    assertThat(dir.resolve("sibling.txt")).hasContent("z");
  }

  @Test
  void anAbsentTreeIsNotAnError(@TempDir Path dir) throws Exception {
    FileTrees.deleteTree(dir.resolve("absent"));
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void doesNotFollowALinkOutOfTheTree(@TempDir Path dir) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "k");
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.createSymbolicLink(tree.resolve("link"), outside);

    FileTrees.deleteTree(tree);

    assertThat(tree).doesNotExist();
    assertThat(outside.resolve("keep.txt")).hasContent("k");
  }
}
