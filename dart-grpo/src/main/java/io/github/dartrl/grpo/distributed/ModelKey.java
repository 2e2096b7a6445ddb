package io.github.dartrl.grpo.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The cache key of a backbone: its directory and a SHA-256 of every file in it (names, bytes). */
public final class ModelKey {
  private ModelKey() {}

  /** {@code <absolute path>#sha256:<hex>}; computed once on the driver. */
  public static String of(Path modelDir) {
    try (Stream<Path> walk = Files.walk(modelDir)) {
      List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        sha.update(
            modelDir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
          }
        }
      }
      return modelDir.toAbsolutePath().normalize()
          + "#sha256:"
          + HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash the model directory " + modelDir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
