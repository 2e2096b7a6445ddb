package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, rounding bit patterns, header layout and atomicity of {@link SafetensorsWriter}. */
class SafetensorsWriterTest {
  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static final float[] SPECIAL = {
    0f,
    -0f,
    1f,
    -1.5f,
    Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN,
    3.14159265f,
    1e-20f,
    6.1e-5f
  };

  private short[] storedShorts(Path file, String name) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      ByteBuffer raw = f.raw(name);
      short[] out = new short[raw.remaining() / 2];
      raw.asShortBuffer().get(out);
      return out;
    }
  }

  private Path writeOne(String file, float[] values, SafetensorsDType as) {
    Path path = dir.resolve(file);
    SafetensorsWriter.write(path, Map.of("w", manager.create(values)), null, as);
    return path;
  }

  @Test
  void f32RoundTripIsBitExact() {
    float[] values = new float[1000];
    Random rnd = new Random(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = i < SPECIAL.length ? SPECIAL[i] : (float) rnd.nextGaussian() * 10;
    }
    NDArray a = manager.create(values).reshape(10, 100);
    Path path = dir.resolve("f32.safetensors");
    SafetensorsWriter.write(path, Map.of("w", a), Map.of("k", "v"), SafetensorsDType.F32);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.metadata()).containsExactly(Map.entry("k", "v"));
      NDArray b = f.load("w", manager);
      assertThat(b.getShape()).isEqualTo(new Shape(10, 100));
      float[] back = b.toFloatArray();
      for (int i = 0; i < values.length; i++) {
        assertThat(Float.floatToRawIntBits(back[i]))
            .as("element %d", i)
            .isEqualTo(Float.floatToRawIntBits(values[i]));
      }
    }
  }

  @Test
  void bf16RoundsToNearestEven() {
    float[] in = {
      1f, // 0x3F800000 -> 0x3F80 exact
      Float.intBitsToFloat(0x3F808000), // exact tie, even kept part -> stays 0x3F80
      Float.intBitsToFloat(0x3F818000), // exact tie, odd kept part 0x3F81 -> up to 0x3F82
      Float.intBitsToFloat(0x3F808001), // just above the tie -> 0x3F81
      Float.intBitsToFloat(0x3F807FFF), // just below the tie -> 0x3F80
      -2.5f, // 0xC0200000 -> 0xC020
      Float.MAX_VALUE, // 0x7F7FFFFF rounds up past the largest bf16 -> +inf 0x7F80
      Float.intBitsToFloat(0x0000FFFF), // subnormal rounding up -> 0x0001
      Float.NaN
    };
    short[] expected = {
      0x3F80, 0x3F80, 0x3F82, 0x3F81, 0x3F80, (short) 0xC020, 0x7F80, 0x0001, 0x7FC0
    };
    Path path = writeOne("bf16.safetensors", in, SafetensorsDType.BF16);
    assertThat(storedShorts(path, "w")).containsExactly(expected);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.info("w").dtype()).isEqualTo(SafetensorsDType.BF16);
      float[] back = f.load("w", manager).toFloatArray();
      for (int i = 0; i < expected.length; i++) {
        assertThat(Float.floatToRawIntBits(back[i])).isEqualTo((expected[i] & 0xFFFF) << 16);
      }
    }
  }

  @Test
  void f16RoundsToNearestEven() {
    float[] in = {
      1f, // 0x3C00
      1f + 0x1p-11f, // tie between 0x3C00 and 0x3C01 -> even 0x3C00
      1f + 3 * 0x1p-11f, // tie between 0x3C01 and 0x3C02 -> even 0x3C02
      65504f, // largest half 0x7BFF
      65520f, // tie between 65504 and 65536 (overflow) -> even -> +inf 0x7C00
      0x1p-24f, // smallest subnormal 0x0001
      0x1p-25f, // tie between 0 and 0x0001 -> even 0
      1.5f * 0x1p-24f, // tie between 0x0001 and 0x0002 -> even 0x0002
      -0x1p-14f, // smallest normal, negative 0x8400
      Float.NEGATIVE_INFINITY // 0xFC00
    };
    short[] expected = {
      0x3C00, 0x3C00, 0x3C02, 0x7BFF, 0x7C00, 0x0001, 0x0000, 0x0002, (short) 0x8400, (short) 0xFC00
    };
    Path path = writeOne("f16.safetensors", in, SafetensorsDType.F16);
    assertThat(storedShorts(path, "w")).containsExactly(expected);
  }

  @Test
  void f16MatchesLibtorch() {
    // libtorch's own float16 cast is an independent reference for the Java rounding
    float[] values = new float[4096];
    Random rnd = new Random(11);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(40) - 20));
    }
    NDArray a = manager.create(values);
    Path path = writeOne("rnd.safetensors", values, SafetensorsDType.F16);
    short[] torch = new short[values.length];
    a.toType(DataType.FLOAT16, false).toByteBuffer().asShortBuffer().get(torch);
    assertThat(storedShorts(path, "w")).containsExactly(torch);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      float[] ours = f.load("w", manager).toFloatArray();
      float[] theirs = f.loadRaw("w", manager).toType(DataType.FLOAT32, false).toFloatArray();
      assertThat(ours).containsExactly(theirs);
    }
  }

  @Test
  void headerIsOrderedAndPaddedTo8Bytes() throws IOException {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("zeta", manager.create(new float[] {1, 2, 3}));
    t.put("alpha", manager.create(new int[] {4, 5}));
    t.put("mid", manager.create(new long[] {6}));
    Path path = dir.resolve("order.safetensors");
    SafetensorsWriter.write(path, t, Map.of("format", "pt"), SafetensorsDType.BF16);
    byte[] bytes = Files.readAllBytes(path);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(n % 8).isZero();
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertThat(header)
        .startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"zeta\":{\"dtype\":\"BF16\"")
        .contains("\"alpha\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[6,14]}")
        .contains("\"mid\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[14,22]}");
    assertThat(header.stripTrailing()).endsWith("}");
    assertThat(header.substring(header.stripTrailing().length())).matches(" *");
    assertThat(bytes.length).isEqualTo(8 + n + 22);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("zeta", "alpha", "mid");
      assertThat(f.load("alpha", manager).toIntArray()).containsExactly(4, 5);
      assertThat(f.load("mid", manager).toLongArray()).containsExactly(6);
    }
  }

  @Test
  void integerArraysNarrowAndWiden() {
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("ids", manager.create(new long[] {-1, 2, Integer.MAX_VALUE}));
    t.put("small", manager.create(new int[] {-7, 8}));
    Path i32 = dir.resolve("i32.safetensors");
    SafetensorsWriter.write(i32, t, null, SafetensorsDType.I32);
    Path i64 = dir.resolve("i64.safetensors");
    SafetensorsWriter.write(i64, t, null, SafetensorsDType.I64);
    try (SafetensorsFile a = SafetensorsFile.open(i32);
        SafetensorsFile b = SafetensorsFile.open(i64)) {
      assertThat(a.info("ids").dtype()).isEqualTo(SafetensorsDType.I32);
      assertThat(a.load("ids", manager).toIntArray()).containsExactly(-1, 2, Integer.MAX_VALUE);
      assertThat(b.info("small").dtype()).isEqualTo(SafetensorsDType.I64);
      assertThat(b.load("small", manager).toLongArray()).containsExactly(-7, 8);
    }
  }

  @Test
  void largeTensorIsStreamedInChunks() {
    int n = (1 << 20) + 5; // one element past the writer's chunk
    NDArray a = manager.arange(0f, n, 1f).div(7f);
    Path path = dir.resolve("large.safetensors");
    SafetensorsWriter.write(path, Map.of("w", a), null, SafetensorsDType.F32);
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      float[] expected = a.toFloatArray();
      float[] back = f.load("w", manager).toFloatArray();
      assertThat(back).hasSameSizeAs(expected);
      int mismatch = java.util.Arrays.mismatch(back, expected); // AssertJ's diff is quadratic
      assertThat(mismatch).as("first mismatch at %d", mismatch).isEqualTo(-1);
    }
  }

  // ---- failures leave an existing file untouched ----

  private Path existing() throws IOException {
    Path path = writeOne("keep.safetensors", new float[] {1, 2, 3}, SafetensorsDType.F32);
    assertThat(Files.size(path)).isPositive();
    return path;
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void unsupportedTensorLeavesExistingFileIdentical() throws IOException {
    Path path = existing();
    byte[] before = Files.readAllBytes(path);
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("ok", manager.create(new float[] {9}));
    t.put("mask", manager.create(new boolean[] {true}));
    assertThatThrownBy(() -> SafetensorsWriter.write(path, t, null, SafetensorsDType.F32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mask")
        .hasMessageContaining("BOOLEAN");
    assertThatThrownBy(() -> SafetensorsWriter.write(path, t, null, SafetensorsDType.F64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("F64");
    assertThat(Files.readAllBytes(path)).isEqualTo(before);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void failureMidWriteLeavesExistingFileIdentical() throws IOException {
    Path path = existing();
    byte[] before = Files.readAllBytes(path);
    Map<String, NDArray> t = new LinkedHashMap<>();
    t.put("first", manager.create(new int[1000]));
    t.put("ids", manager.create(new long[] {1, 1L << 40})); // detected only while streaming
    assertThatThrownBy(() -> SafetensorsWriter.write(path, t, null, SafetensorsDType.I32))
        .isInstanceOf(IllegalArgumentException.class);
    // and an I/O failure inside the body (the temp file exists and has data at that point)
    SafetensorsWriter.Entry broken =
        new SafetensorsWriter.Entry(
            "w",
            SafetensorsDType.F32,
            new long[] {4},
            ch -> {
              ch.write(ByteBuffer.wrap(new byte[8]));
              throw new IOException("disk full");
            });
    assertThatThrownBy(() -> SafetensorsWriter.write(path, List.of(broken), Map.of()))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("disk full");
    assertThat(Files.readAllBytes(path)).isEqualTo(before);
    assertThat(leftovers()).isEmpty();
  }

  /**
   * A directory that refuses the temporary file (here for every user, root included: CI runs as
   * root, which ignores permission bits, so {@code chmod a-w} would prove nothing there): the write
   * fails and the existing file stays byte for byte. The temporary is named after the target plus a
   * prefix and a random suffix, so next to a target whose name is near NAME_MAX (255 bytes) it
   * cannot be created (ENAMETOOLONG), while the target itself exists.
   */
  @Test
  void directoryRefusingTheTemporaryLeavesExistingFileIdentical() throws IOException {
    String name = "k".repeat(240) + ".safetensors";
    // copied into place: the writer itself cannot create it, which is the point
    Path path =
        Files.move(
            writeOne("seed.safetensors", new float[] {1, 2, 3}, SafetensorsDType.F32),
            dir.resolve(name));
    byte[] before = Files.readAllBytes(path);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertThatThrownBy(() -> writeOne(name, new float[] {7}, SafetensorsDType.F32))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(name);
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    assertThat(Files.readAllBytes(path)).isEqualTo(before);
    assertThat(leftovers()).isEmpty();
  }

  /**
   * A directory that is read-only for root as well ({@code /proc} takes no new files): replacing a
   * file there fails with an I/O error and leaves the file as it was.
   */
  @Test
  void readOnlyDirectoryLeavesExistingFileIdentical() throws IOException {
    Path path = Path.of("/proc/version");
    assumeTrue(Files.isRegularFile(path), "Linux /proc");
    byte[] before = Files.readAllBytes(path);
    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    path, Map.of("w", manager.create(new float[] {7})), null, SafetensorsDType.F32))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("/proc/version");
    assertThat(Files.readAllBytes(path)).isEqualTo(before);
  }

  @Test
  void newFilesAreWorldReadableAndReplacementsKeepPermissions() throws IOException {
    Path path = writeOne("perm.safetensors", new float[] {1}, SafetensorsDType.F32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-r--r--");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
    writeOne("perm.safetensors", new float[] {2}, SafetensorsDType.F32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-rw----");
  }

  @Test
  void reservedNameIsRejected() {
    Map<String, NDArray> t = Map.of("__metadata__", manager.create(new float[] {1}));
    assertThatThrownBy(
            () ->
                SafetensorsWriter.write(
                    dir.resolve("x.safetensors"), t, null, SafetensorsDType.F32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("__metadata__");
  }
}
