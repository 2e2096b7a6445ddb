package io.github.dartrl.core.io;

import static io.github.dartrl.core.io.SafetensorsBytes.assertBad;
import static io.github.dartrl.core.io.SafetensorsBytes.concat;
import static io.github.dartrl.core.io.SafetensorsBytes.f32;
import static io.github.dartrl.core.io.SafetensorsBytes.le;
import static io.github.dartrl.core.io.SafetensorsBytes.write;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading hand-built files: every dtype, the chunked paths, and one test per malformed input. */
class SafetensorsFileTest {
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

  /** One tensor of every dtype; keys deliberately not in offset order. */
  private Path everyDtype() throws IOException {
    byte[] data =
        concat(
            f32(1.5f, -2f, 0.25f, 3e-3f, 1e6f, -0f), // f32 [0, 24)
            le(2, 0x3F80, 0xC020, 0x3E80, 0x7F80), // bf16 1, -2.5, 0.25, inf [24, 32)
            le(2, 0x3C00, 0xC100, 0x0001, 0x7BFF), // f16 1, -2.5, 2^-24, 65504 [32, 40)
            le(8, Double.doubleToLongBits(0.1), Double.doubleToLongBits(-7)), // f64 [40, 56)
            le(8, Long.MAX_VALUE, -3), // i64 [56, 72)
            le(4, -5, 7), // i32 [72, 80)
            le(2, -300, 300), // i16 [80, 84)
            le(1, -8, 9), // i8 [84, 86)
            le(1, 200, 1), // u8 [86, 88)
            le(1, 1, 0)); // bool [88, 90)
    String header =
        """
        {"__metadata__":{"format":"pt","note":"hand made"},
         "bf":{"dtype":"BF16","shape":[2,2],"data_offsets":[24,32]},
         "f":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},
         "h":{"dtype":"F16","shape":[4],"data_offsets":[32,40]},
         "d":{"dtype":"F64","shape":[2],"data_offsets":[40,56]},
         "l":{"dtype":"I64","shape":[2],"data_offsets":[56,72]},
         "i":{"dtype":"I32","shape":[2],"data_offsets":[72,80]},
         "s":{"dtype":"I16","shape":[2],"data_offsets":[80,84]},
         "b":{"dtype":"I8","shape":[2],"data_offsets":[84,86]},
         "u":{"dtype":"U8","shape":[2],"data_offsets":[86,88]},
         "z":{"dtype":"BOOL","shape":[2],"data_offsets":[88,90]}}
        """;
    return write(dir, "all.safetensors", header, data);
  }

  @Test
  void readsEveryDtype() throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(everyDtype())) {
      assertThat(f.metadata())
          .containsExactly(Map.entry("format", "pt"), Map.entry("note", "hand made"));
      assertThat(f.tensors())
          .extracting(TensorInfo::name)
          .containsExactly("f", "bf", "h", "d", "l", "i", "s", "b", "u", "z");
      assertThat(f.info("bf"))
          .isEqualTo(new TensorInfo("bf", SafetensorsDType.BF16, new long[] {2, 2}, 24, 32));
      assertThat(f.find("nope")).isEmpty();

      NDArray fl = f.load("f", manager);
      assertThat(fl.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(fl.getShape().getShape()).containsExactly(2, 3);
      assertThat(fl.toFloatArray()).containsExactly(1.5f, -2f, 0.25f, 3e-3f, 1e6f, -0f);
      assertThat(fl.getName()).isEqualTo("f");

      NDArray bf = f.load("bf", manager);
      assertThat(bf.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(bf.toFloatArray()).containsExactly(1f, -2.5f, 0.25f, Float.POSITIVE_INFINITY);
      assertThat(f.loadRaw("bf", manager).getDataType()).isEqualTo(DataType.FLOAT32);

      assertThat(f.load("h", manager).toFloatArray()).containsExactly(1f, -2.5f, 0x1p-24f, 65504f);
      assertThat(f.loadRaw("h", manager).getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(f.load("d", manager).toFloatArray()).containsExactly(0.1f, -7f);
      assertThat(f.loadRaw("d", manager).toDoubleArray()).containsExactly(0.1, -7);

      NDArray l = f.load("l", manager);
      assertThat(l.getDataType()).isEqualTo(DataType.INT64);
      assertThat(l.toLongArray()).containsExactly(Long.MAX_VALUE, -3);
      assertThat(f.load("i", manager).toIntArray()).containsExactly(-5, 7);
      NDArray s = f.load("s", manager);
      assertThat(s.getDataType()).isEqualTo(DataType.INT32); // widened: INT16 aborts the engine
      assertThat(s.toIntArray()).containsExactly(-300, 300);
      assertThat(f.load("b", manager).toByteArray()).containsExactly(-8, 9);
      assertThat(f.load("u", manager).toUint8Array()).containsExactly(200, 1);
      assertThat(f.load("z", manager).toBooleanArray()).containsExactly(true, false);

      ByteBuffer raw = f.raw("i");
      assertThat(raw.isReadOnly()).isTrue();
      assertThat(raw.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
      assertThat(raw.remaining()).isEqualTo(8);
      assertThat(raw.getInt(0)).isEqualTo(-5);
    }
  }

  @Test
  void chunkedLoadingMatchesWholeLoading() throws IOException {
    Path file = everyDtype();
    try (SafetensorsFile whole = SafetensorsFile.open(file);
        SafetensorsFile chunked = SafetensorsFile.open(file, 3, 8)) {
      for (TensorInfo t : whole.tensors()) {
        NDArray a = whole.load(t.name(), manager);
        NDArray b = chunked.load(t.name(), manager);
        assertThat(b.getShape()).as(t.name()).isEqualTo(a.getShape());
        assertThat(b.getDataType()).as(t.name()).isEqualTo(a.getDataType());
        assertThat(b.toByteArray()).as(t.name()).containsExactly(a.toByteArray());
      }
    }
  }

  @Test
  void unalignedScalarAndEmptyTensors() throws IOException {
    // a 1-byte tensor first puts the F32 data at an odd file offset: it must be realigned
    String header =
        "{\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[1,5]},"
            + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[5,5]}}";
    Path file = write(dir, "odd.safetensors", header, concat(le(1, 7), f32(42.5f)));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      NDArray x = f.load("x", manager);
      assertThat(x.getShape().dimension()).isZero();
      assertThat(x.getFloat()).isEqualTo(42.5f);
      NDArray e = f.load("e", manager);
      assertThat(e.getShape().getShape()).containsExactly(0, 3);
    }
  }

  // ---- malformed inputs: one test each ----

  @Test
  void fileShorterThan8Bytes() throws IOException {
    Path file = dir.resolve("short.safetensors");
    java.nio.file.Files.write(file, new byte[] {1, 2, 3});
    assertBad(
        file, "header length", () -> SafetensorsFile.open(file), "at least 8 bytes", "3 bytes");
  }

  @Test
  void headerLengthBeyondFile() throws IOException {
    byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
    Path file = write(dir, "beyond.safetensors", 1000, h, new byte[0]);
    assertBad(file, "header length", () -> SafetensorsFile.open(file), "at most 2", "found 1000");
  }

  @Test
  void absurdHeaderLength() throws IOException {
    byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
    Path file = write(dir, "absurd.safetensors", -1, h, new byte[0]);
    assertBad(file, "header length", () -> SafetensorsFile.open(file), "18446744073709551615");
    Path big = write(dir, "big.safetensors", 1L << 40, h, new byte[0]);
    assertBad(big, "header length", () -> SafetensorsFile.open(big), "at most 100000000");
  }

  @Test
  void headerNotJson() throws IOException {
    Path file = write(dir, "garbage.safetensors", "{\"a\": nope", new byte[0]);
    assertBad(file, "header", () -> SafetensorsFile.open(file), "invalid JSON");
  }

  @Test
  void headerNotObject() throws IOException {
    Path file = write(dir, "array.safetensors", "[1, 2]", new byte[0]);
    assertBad(file, "header", () -> SafetensorsFile.open(file), "expected a JSON object", "ARRAY");
  }

  @Test
  void duplicateKey() throws IOException {
    String t = "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
    Path file = write(dir, "dup.safetensors", "{" + t + "," + t + "}", le(1, 1));
    assertBad(file, "header", () -> SafetensorsFile.open(file), "Duplicate");
  }

  @Test
  void unknownDtype() throws IOException {
    Path file =
        write(
            dir,
            "fp8.safetensors",
            "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}",
            new byte[2]);
    assertBad(file, "w", () -> SafetensorsFile.open(file), "F8_E4M3", "BF16");
  }

  @Test
  void negativeShape() throws IOException {
    Path file =
        write(
            dir,
            "neg.safetensors",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1,2],\"data_offsets\":[0,8]}}",
            new byte[8]);
    assertBad(file, "w", () -> SafetensorsFile.open(file), "shape", "non-negative", "-1");
  }

  @Test
  void offsetsOutOfRange() throws IOException {
    Path file =
        write(
            dir,
            "range.safetensors",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
            new byte[12]);
    assertBad(file, "w", () -> SafetensorsFile.open(file), "<= 12", "[0, 16]");
    Path reversed =
        write(
            dir,
            "reversed.safetensors",
            "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}",
            new byte[4]);
    assertBad(reversed, "w", () -> SafetensorsFile.open(reversed), "begin <= end", "[4, 0]");
  }

  @Test
  void overlappingOffsets() throws IOException {
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    Path file = write(dir, "overlap.safetensors", header, new byte[12]);
    assertBad(file, "b", () -> SafetensorsFile.open(file), "overlapping 'a'", "[0, 8]");
  }

  @Test
  void shapeTimesDtypeMismatch() throws IOException {
    Path file =
        write(
            dir,
            "size.safetensors",
            "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}",
            new byte[8]);
    assertBad(file, "w", () -> SafetensorsFile.open(file), "12 bytes", "spanning 8 bytes");
  }

  @Test
  void metadataNotStringMap() throws IOException {
    Path file = write(dir, "meta.safetensors", "{\"__metadata__\":{\"n\":3}}", new byte[0]);
    assertBad(file, "__metadata__", () -> SafetensorsFile.open(file), "string value", "'n'");
  }

  @Test
  void truncatedFile() throws IOException {
    Path file = everyDtype();
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - 1); // the last tensor ('z', BOOL) loses a byte
    }
    assertBad(file, "z", () -> SafetensorsFile.open(file), "[88, 90]");
  }

  @Test
  void missingTensor() throws IOException {
    Path file = everyDtype();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertBad(file, "lm_head.weight", () -> f.info("lm_head.weight"), "found none");
      assertBad(file, "lm_head.weight", () -> f.load("lm_head.weight", manager), "found none");
    }
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("absent.safetensors");
    assertBad(file, null, () -> SafetensorsFile.open(file), "found none");
  }
}
