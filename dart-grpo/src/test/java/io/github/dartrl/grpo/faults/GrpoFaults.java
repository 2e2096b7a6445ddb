package io.github.dartrl.grpo.faults;

import io.github.dartrl.core.faults.FaultCase;
import java.util.ArrayList;
import java.util.List;

/** The fault cases of dart-grpo's inputs: QA datasets, corpora, configs and retriever responses. */
public final class GrpoFaults {
  private GrpoFaults() {}

  /** Every case, in the order of {@link io.github.dartrl.core.faults.Category}. */
  public static List<FaultCase> all() {
    List<FaultCase> all = new ArrayList<>();
    all.addAll(DatasetFaults.cases());
    all.addAll(CorpusFaults.cases());
    all.addAll(ConfigFaults.cases());
    all.addAll(RetrieverFaults.cases());
    return List.copyOf(all);
  }
}
