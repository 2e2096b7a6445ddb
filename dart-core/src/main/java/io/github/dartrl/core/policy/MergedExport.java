package io.github.dartrl.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.lora.AdapterMerger;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.routing.TokenRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a policy's backbone with one adapter folded in ({@code W + scale * B A}, see {@link
 * AdapterMerger}) as a standard HF model directory — {@code config.json}, safetensors and the base
 * model's tokenizer and other non-weight files — that any HF-compatible runtime (transformers,
 * vLLM, llama.cpp converters) loads without dart4j or PEFT.
 *
 * <p>A merged model applies that adapter at every position. For a LoRA policy that is exact; for
 * DART, merging the adapter of one role equals the DART model only on sequences whose positions all
 * route to that role, and is an approximation otherwise (serving the unmerged DART model needs
 * per-token routing: docs/formats.md).
 */
public final class MergedExport {
  private MergedExport() {}

  /** The adapter index {@code policy} uses for {@code role}, or an error if it uses none. */
  public static int adapterFor(Policy policy, TokenRole role) {
    int a = policy.roleMap().adapterFor(role);
    if (a < 0 || policy.adapters() == null) {
      throw new IllegalArgumentException(
          policy.method() + " uses no adapter on " + role + " positions: nothing to merge");
    }
    return a;
  }

  /**
   * Writes the merged model into {@code out}, which must be absent or an empty directory; the
   * directory appears complete or not at all (staged in a hidden sibling, fsynced, renamed).
   *
   * @param policy a policy with adapters
   * @param adapter the adapter to fold in (index into {@code policy.adapters().configs()})
   * @param out the new model directory
   * @param baseDir the base model directory whose tokenizer and other non-weight files are copied,
   *     or null to write only config.json and weights
   * @param dtype stored type of the weights
   */
  public static void write(
      Policy policy, int adapter, Path out, Path baseDir, SafetensorsDType dtype) {
    if (policy.adapters() == null) {
      throw new IllegalArgumentException(policy.method() + " has no adapters to merge");
    }
    int count = policy.adapters().configs().size();
    if (adapter < 0 || adapter >= count) {
      throw new IllegalArgumentException(
          "adapter index " + adapter + " out of range: the policy has " + count + " adapters");
    }
    requireEmpty(out);
    AtomicDirectory.replace(
        out,
        staging -> {
          try (NDManager m = policy.model().newScope()) {
            Map<String, NDArray> merged = AdapterMerger.merged(policy.adapters(), adapter, m);
            HfCheckpoint.save(policy.model().config(), merged, staging, dtype);
          }
          if (baseDir != null) {
            copyNonWeightFiles(baseDir, staging);
          }
        });
  }

  /** The stored type matching a config's {@code torch_dtype}. */
  public static SafetensorsDType dtypeOf(String torchDtype) {
    return switch (torchDtype) {
      case "bfloat16" -> SafetensorsDType.BF16;
      case "float16" -> SafetensorsDType.F16;
      default -> SafetensorsDType.F32;
    };
  }

  private static void requireEmpty(Path out) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("output path exists and is not a directory: " + out);
    }
    if (Files.isDirectory(out)) {
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "output directory is not empty: " + out + " (a merge never writes over a model)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + out, e);
      }
    }
  }

  /**
   * Tokenizer files, generation config, chat template and the like: everything in the base
   * directory that is a regular file and not a weight file or index (those are written anew).
   */
  private static void copyNonWeightFiles(Path baseDir, Path staging) throws IOException {
    try (Stream<Path> files = Files.list(baseDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean weights =
            name.endsWith(".safetensors")
                || name.endsWith(".bin")
                || name.endsWith(".pt")
                || name.endsWith(".index.json");
        if (Files.isRegularFile(f)
            && !weights
            && !name.startsWith(".")
            && !Files.exists(staging.resolve(name))) {
          Files.copy(f, staging.resolve(name));
        }
      }
    }
  }
}
