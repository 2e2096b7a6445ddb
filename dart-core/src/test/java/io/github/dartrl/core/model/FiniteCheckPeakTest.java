package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Loading checks every weight for NaN and infinities slice by slice: a real vocabulary's embedding
 * no longer gets an int64 copy (8 bytes per weight) for the count, which was the peak of loading; a
 * bad value in any slice, the last included, is still found and counted.
 */
class FiniteCheckPeakTest {
  @Test
  void aLargeTableIsCheckedWithinASliceOfMemory() throws Exception {
    assumeTrue(PeakRss.available(), "needs /proc/self/clear_refs (Linux)");
    // 65,536 × 1,024 fp32 (268 MB): counting on the whole table took 67 MB of mask + 537 MB int64
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray w = m.ones(new Shape(65_536, 1024), DataType.FLOAT32); // written: resident
      double peak =
          PeakRss.aboveStartMb(() -> NonFiniteWeights.REJECT.check(w, Path.of("x"), "embed"));
      assertThat(peak).isLessThan(200); // before: 600 MB and more
    }
  }

  @Test
  void aNanInTheLastSliceIsFoundAndCounted() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      // 40,000 rows of 1,024: three slices of 16,384 rows
      float[] data = new float[40_000 * 1024];
      data[data.length - 1] = Float.NaN;
      data[5] = Float.POSITIVE_INFINITY;
      NDArray w = m.create(data, new Shape(40_000, 1024));
      assertThatThrownBy(() -> NonFiniteWeights.REJECT.check(w, Path.of("f.safetensors"), "e"))
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("found 1 NaN and 1 infinite of 40960000");
      NDArray ok = m.zeros(new Shape(40_000, 1024));
      NonFiniteWeights.REJECT.check(ok, Path.of("f"), "e"); // no exception
    }
  }
}
