package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Set;

/**
 * The tensors of a Hugging Face model directory, whether stored in one {@code model.safetensors} or
 * in shards listed by {@code model.safetensors.index.json}. Obtain one from {@link
 * HfWeights#open(Path)}; close it to release the file handles.
 */
public interface WeightSource extends AutoCloseable {

  /** Returns every tensor name (HF names, e.g. {@code model.norm.weight}), unmodifiable. */
  Set<String> names();

  /**
   * Returns the header entry of a tensor.
   *
   * @throws ModelFormatException naming the model and tensor if it is absent
   */
  TensorInfo info(String name);

  /**
   * Loads a tensor as by {@link SafetensorsFile#load}: floating-point types as FLOAT32 (BF16 and
   * F16 converted in Java), integer types in their own type.
   *
   * @throws ModelFormatException naming the model and tensor if it is absent
   */
  NDArray load(String name, NDManager manager);

  /**
   * Returns the file that holds a tensor (a shard, or {@code model.safetensors}).
   *
   * @throws ModelFormatException naming the model and tensor if it is absent
   */
  Path location(String name);

  /** Closes every underlying file; arrays already loaded stay valid. */
  @Override
  void close();
}
