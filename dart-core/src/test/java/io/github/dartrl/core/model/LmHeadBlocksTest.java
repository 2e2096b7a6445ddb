package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * An fp16 LM head is widened to fp32 block by block of vocabulary rows, never as a whole table: the
 * same logits and input gradients as a whole-table product, and a peak bounded by a block.
 */
class LmHeadBlocksTest {
  @Test
  void blocksGiveTheLogitsAndInputGradientOfTheWholeTable() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray w = m.randomNormal(new Shape(37, 8)).toType(DataType.FLOAT16, false);
      NDArray h = m.randomNormal(new Shape(2, 3, 8));
      NDArray whole = Projection.linearOnCopy(h, w, null);
      NDArray blocks = LmHead.logitsByBlocks(h, w, 5); // 8 blocks, the last of 2 rows
      assertThat(blocks.getShape()).isEqualTo(new Shape(2, 3, 37));
      assertThat(blocks.sub(whole).abs().max().getFloat()).isLessThan(1e-5f);
      NDArray g = m.randomNormal(new Shape(4, 37));
      NDArray expected = g.matMul(w.toType(DataType.FLOAT32, false));
      NDArray actual = LmHead.inputGradient(g, w, 5);
      assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-5f);
    }
  }

  @Test
  void anFp16HeadNeverHasAWholeFp32CopyOfTheTable() throws Exception {
    assumeTrue(PeakRss.available(), "needs /proc/self/clear_refs (Linux)");
    // 262,144 × 256: 128 MB in fp16, a whole fp32 copy would be 268 MB; a block is 32 MB
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray w = m.ones(new Shape(262_144, 256), DataType.FLOAT16); // written: resident
      NDArray h = m.ones(new Shape(1, 1, 256));
      NDArray[] out = new NDArray[1];
      double logitsPeak = PeakRss.aboveStartMb(() -> out[0] = LmHead.logitsByBlocks(h, w));
      assertThat(out[0].getShape()).isEqualTo(new Shape(1, 1, 262_144));
      // the logits themselves are 1 MB; blocks of 32 MB, one at a time
      assertThat(logitsPeak).isLessThan(200); // a whole copy: 268 MB and more
      NDArray g = m.ones(new Shape(1, 262_144));
      double gradPeak = PeakRss.aboveStartMb(() -> out[0] = LmHead.inputGradient(g, w));
      assertThat(out[0].getShape()).isEqualTo(new Shape(1, 256));
      assertThat(gradPeak).isLessThan(200); // a whole copy: 268 MB and more
    }
  }
}
