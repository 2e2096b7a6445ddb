package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link WeightSource} over one or more open safetensors files, one file per tensor name. */
final class OpenWeights implements WeightSource {
  private final Path modelDir;
  private final Map<String, SafetensorsFile> byTensor;
  private final List<SafetensorsFile> files;

  /**
   * @param modelDir the model directory, for error messages
   * @param byTensor tensor name to the file that holds it, in the order names should be listed
   * @param files every open file, closed by {@link #close()}
   */
  OpenWeights(Path modelDir, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> files) {
    this.modelDir = modelDir;
    this.byTensor = Collections.unmodifiableMap(byTensor);
    this.files = List.copyOf(files);
  }

  @Override
  public Set<String> names() {
    return byTensor.keySet();
  }

  @Override
  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  @Override
  public NDArray load(String name, NDManager manager) {
    return file(name).load(name, manager);
  }

  @Override
  public Path location(String name) {
    return file(name).path();
  }

  private SafetensorsFile file(String name) {
    SafetensorsFile f = byTensor.get(name);
    if (f == null) {
      throw new ModelFormatException(
          modelDir, name, "expected a tensor with this name in the model, found none");
    }
    return f;
  }

  @Override
  public void close() {
    closeAll(files, null);
  }

  /** Closes every file; the first failure is thrown (or added to {@code primary}) after all ran. */
  static void closeAll(List<SafetensorsFile> files, Throwable primary) {
    RuntimeException first = null;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (RuntimeException e) {
        if (primary != null) {
          primary.addSuppressed(e);
        } else if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "WeightSource["
        + modelDir
        + ", "
        + byTensor.size()
        + " tensors in "
        + files.size()
        + " files]";
  }
}
