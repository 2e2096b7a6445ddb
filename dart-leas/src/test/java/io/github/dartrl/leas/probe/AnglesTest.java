package io.github.dartrl.leas.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnglesTest {

  @Test
  void knownVectors() {
    assertThat(Angles.degrees(new double[] {1, 0, 0}, new double[] {0, 3, 0}))
        .isCloseTo(90, within(1e-12));
    assertThat(Angles.degrees(new double[] {1, 2, 3}, new double[] {2, 4, 6}))
        .isCloseTo(0, within(1e-6));
    assertThat(Angles.degrees(new double[] {1, 2, 3}, new double[] {-1, -2, -3}))
        .isCloseTo(180, within(1e-6));
    assertThat(Angles.degrees(new double[] {1, 0}, new double[] {1, 1}))
        .isCloseTo(45, within(1e-12));
    assertThat(Angles.degrees(new double[] {0, 0}, new double[] {1, 1})).isNaN();
    // round-off beyond ±1 is clamped, not NaN
    assertThat(Angles.degrees(1 + 1e-15)).isEqualTo(0.0);
    assertThat(Angles.degrees(-1 - 1e-15)).isEqualTo(180.0);
  }

  @Test
  void flattenedAndPerLayerAngles() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("model.layers.1.mlp.up_proj.lora_A", m.zeros(new Shape(2)));
      params.put("model.layers.0.self_attn.q_proj.lora_A", m.zeros(new Shape(2)));
      params.put("lm_head.weight", m.zeros(new Shape(1)));
      ParameterGroups layout = ParameterGroups.of(params);
      assertThat(layout.names()).containsExactly("layer.0", "layer.1", "other");
      // layer 0 parallel, layer 1 orthogonal, other opposite
      FlatGradient a = FlatGradient.of(layout, new float[][] {{1, 1}, {1, 0}, {1}});
      FlatGradient b = FlatGradient.of(layout, new float[][] {{2, 2}, {0, 1}, {-1}});
      double[] cos = Angles.cosines(a, b);
      assertThat(Angles.degrees(cos[1])).isCloseTo(0, within(1e-6));
      assertThat(Angles.degrees(cos[2])).isCloseTo(90, within(1e-9));
      assertThat(Angles.degrees(cos[3])).isCloseTo(180, within(1e-6));
      // whole vector: a = (1,1,1,0,1), b = (2,2,0,1,-1): dot 3, |a|² 4, |b|² 10
      assertThat(cos[0]).isCloseTo(3 / Math.sqrt(40), within(1e-12));
      assertThat(a.flatten()).containsExactly(1, 1, 1, 0, 1);
    }
  }
}
