package io.github.dartrl.core.faults;

import java.util.ArrayList;
import java.util.List;

/** The fault cases of dart-core's inputs: model directories, adapters, tokenizers, configs. */
public final class CoreFaults {
  private CoreFaults() {}

  /** Every case, in the order of {@link Category}. */
  public static List<FaultCase> all() {
    List<FaultCase> all = new ArrayList<>();
    all.addAll(ModelDirFaults.cases());
    all.addAll(AdapterFaults.cases());
    all.addAll(TokenizerFaults.cases());
    all.addAll(ConfigFaults.cases());
    return List.copyOf(all);
  }
}
