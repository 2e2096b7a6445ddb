package io.github.dartrl.core.faults;

/** The kinds of bad input the fault suite covers, in the order docs/reliability.md lists them. */
public enum Category {
  MODEL_CONFIG("model dir: config.json", "ModelDirFaults"),
  SAFETENSORS("model dir: safetensors", "ModelDirFaults"),
  ADAPTER("adapters", "AdapterFaults"),
  TOKENIZER("tokenizer.json", "TokenizerFaults"),
  DATASET("datasets", "DatasetFaults"),
  CORPUS("corpora", "CorpusFaults"),
  CONFIG("configs", "ConfigFaults"),
  RETRIEVER("retriever responses", "RetrieverFaults"),
  CLI("CLI arguments", "CliFaults");

  public final String label;

  /** The class whose {@code cases()} defines this category's cases. */
  public final String catalog;

  Category(String label, String catalog) {
    this.label = label;
    this.catalog = catalog;
  }
}
