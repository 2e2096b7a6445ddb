package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The variants' sampling seeds: one shared seed, or six distinct ones that never meet a batch's.
 */
class SamplingStreamsTest {

  @Test
  void commonSharesTheBatchSeedAndIndependentSeparatesEveryVariant() {
    for (long batch : new long[] {0, 7, 1_000_003L * 5 + 2, -1}) {
      long[] common =
          Arrays.stream(CeaModel.values())
              .mapToLong(m -> SamplingStreams.COMMON.seed(batch, m))
              .toArray();
      assertThat(common).containsOnly(batch);
      long[] own =
          Arrays.stream(CeaModel.values())
              .mapToLong(m -> SamplingStreams.INDEPENDENT.seed(batch, m))
              .toArray();
      assertThat(Arrays.stream(own).distinct().count()).isEqualTo(CeaModel.values().length);
      assertThat(own).doesNotContain(batch);
      // the same batch and variant always get the same seed
      assertThat(SamplingStreams.INDEPENDENT.seed(batch, CeaModel.REAS)).isEqualTo(own[1]);
    }
    // consecutive batches (seed · 1,000,003 + batch index) never share a variant's seed
    long a = SamplingStreams.INDEPENDENT.seed(10, CeaModel.TOOL);
    long b = SamplingStreams.INDEPENDENT.seed(11, CeaModel.BASE);
    assertThat(a).isNotEqualTo(b);
  }
}
