package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.io.HfWeights;
import io.github.dartrl.core.io.IoErrors;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.io.TensorInfo;
import io.github.dartrl.core.io.WeightSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes HF model directories: {@code config.json} plus {@code model.safetensors} or a
 * sharded {@code model.safetensors.index.json}. Tensors keep their HF names ({@link HfNames}); bf16
 * and fp16 weights are widened to fp32 while loading, and the backbone's matrices are then stored
 * as {@link BackbonePrecision} says (fp16 on a GPU unless asked otherwise).
 */
public final class HfCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(HfCheckpoint.class);

  /** Default shard size when saving: 2 GiB, below the 2 GiB mapping limit of one tensor read. */
  public static final long DEFAULT_SHARD_BYTES = 2L << 30;

  private HfCheckpoint() {}

  /**
   * Loads a model directory. Every tensor the config implies must be present with the implied
   * shape; an unknown tensor or a non-finite weight is an error naming the file and tensor.
   */
  public static DecoderModel load(Path dir, NDManager parent) {
    return load(dir, parent, NonFiniteWeights.REJECT);
  }

  /**
   * Loads a model directory with the backbone's matrices stored in {@code precision} ({@link
   * BackbonePrecision#defaultFor} the parent's device is what the other overloads use).
   */
  public static DecoderModel load(Path dir, NDManager parent, BackbonePrecision precision) {
    return load(dir, parent, NonFiniteWeights.REJECT, precision);
  }

  /**
   * Loads a model directory as {@link #load(Path, NDManager)} does, with a choice of what to do
   * with NaN or infinite weights.
   */
  public static DecoderModel load(Path dir, NDManager parent, NonFiniteWeights nonFinite) {
    return load(dir, parent, nonFinite, BackbonePrecision.defaultFor(parent.getDevice()));
  }

  /**
   * Loads a model directory with a choice of what to do with non-finite weights and of how the
   * backbone's matrices are stored (vectors, i.e. norms and biases, always stay fp32).
   */
  public static DecoderModel load(
      Path dir, NDManager parent, NonFiniteWeights nonFinite, BackbonePrecision precision) {
    ModelConfig config = ModelConfig.read(dir);
    Map<String, Shape> expected = HfNames.expectedShapes(config);
    NDManager manager = parent.newSubManager();
    try (WeightSource source = HfWeights.open(dir)) {
      for (String name : source.names()) {
        if (!expected.containsKey(name)) {
          if (name.endsWith("rotary_emb.inv_freq")
              || name.equals(HfNames.LM_HEAD) && config.tieWordEmbeddings()) {
            LOG.debug("ignoring {} (recomputed or tied)", name);
            continue;
          }
          throw new ModelFormatException(
              source.location(name),
              name,
              "unexpected tensor: not part of a "
                  + config.modelType().hfName()
                  + " model with this config");
        }
      }
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Shape> e : expected.entrySet()) {
        String name = e.getKey();
        if (!source.names().contains(name)) {
          throw new ModelFormatException(
              dir.resolve(HfWeights.SINGLE_FILE),
              name,
              "missing tensor (expected shape " + e.getValue() + ")");
        }
        TensorInfo info = source.info(name);
        Shape shape = new Shape(info.shape());
        if (!shape.equals(e.getValue())) {
          throw new ModelFormatException(
              source.location(name),
              name,
              "shape mismatch with config.json: expected " + e.getValue() + ", found " + shape);
        }
        if (!info.dtype().isFloatingPoint()) {
          throw new ModelFormatException(
              source.location(name),
              name,
              "expected a floating-point tensor, found " + info.dtype());
        }
        NDArray a = source.load(name, manager);
        nonFinite.check(a, source.location(name), name);
        if (precision != BackbonePrecision.FP32 && a.getShape().dimension() == 2) {
          NDArray narrow = a.toType(precision.dataType(), false); // after the finiteness check
          a.close();
          a = narrow;
        }
        a.setName(name);
        tensors.put(name, a);
      }
      DecoderModel model = new DecoderModel(config, manager, tensors);
      model.source(dir);
      return model;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    } catch (Exception e) {
      manager.close();
      throw new IllegalStateException("cannot load " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the model as an HF directory ({@code config.json} and safetensors, sharded above {@link
   * #DEFAULT_SHARD_BYTES}); weights are written atomically.
   */
  public static void save(DecoderModel model, Path dir, SafetensorsDType dtype) {
    save(model.config(), model.parameters(), dir, dtype);
  }

  /** Writes a config and tensors (HF names) as a model directory. */
  public static void save(
      ModelConfig config, Map<String, NDArray> tensors, Path dir, SafetensorsDType dtype) {
    try {
      String torchDtype =
          switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
          };
      ModelConfig stored =
          new ModelConfig(
              config.modelType(),
              config.vocabSize(),
              config.hiddenSize(),
              config.intermediateSize(),
              config.numLayers(),
              config.numHeads(),
              config.numKvHeads(),
              config.headDim(),
              config.rmsNormEps(),
              config.ropeTheta(),
              config.ropeScaling(),
              config.maxPositions(),
              config.tieWordEmbeddings(),
              config.qkvBias(),
              config.outputBias(),
              config.mlpBias(),
              torchDtype,
              config.bosTokenId(),
              config.eosTokenIds());
      HfWeights.save(dir, tensors, dtype, DEFAULT_SHARD_BYTES);
      stored.write(dir);
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write model to " + dir, e);
    }
  }
}
