package io.github.dartrl.examples.faults;

import java.util.ArrayList;
import java.util.List;

/** Every fault case, in the order of {@link Category}. */
final class FaultCatalog {
  private FaultCatalog() {}

  static List<FaultCase> all() {
    List<FaultCase> all = new ArrayList<>();
    all.addAll(ModelDirFaults.cases());
    all.addAll(AdapterFaults.cases());
    all.addAll(TokenizerFaults.cases());
    all.addAll(DatasetFaults.cases());
    all.addAll(CorpusFaults.cases());
    all.addAll(ConfigFaults.cases());
    all.addAll(RetrieverFaults.cases());
    all.addAll(CliFaults.cases());
    return List.copyOf(all);
  }
}
