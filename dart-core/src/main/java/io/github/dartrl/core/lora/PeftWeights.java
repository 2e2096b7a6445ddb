package io.github.dartrl.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.io.SafetensorsFile;
import io.github.dartrl.core.io.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one adapter's {@code adapter_model.safetensors} into an attached adapter, accepting the key
 * spellings PEFT and tools built on it write: with or without the {@code base_model.model.} prefix,
 * with the adapter's name left in ({@code lora_A.default.weight}, as a model's raw {@code
 * state_dict()} has it), and with or without the trailing {@code .weight}. Every projection the
 * adapter targets must be present with the expected shape, and no other tensor may be: a missing or
 * extra tensor means the adapter was made for another model or another target list.
 */
public final class PeftWeights {
  /** {@code [base_model.model.]<module>.lora_A|B[.<adapter name>][.weight]} */
  private static final Pattern KEY =
      Pattern.compile(
          "^(?:base_model\\.model\\.)?(.+)\\.lora_([AB])(?:\\.([A-Za-z0-9_-]+))?(?:\\.weight)?$");

  private PeftWeights() {}

  /**
   * The name PEFT writes for a key spelt in any accepted way ({@code
   * base_model.model.<module>.lora_A.weight}), or null if the key is not a LoRA matrix.
   */
  public static String canonical(String key) {
    Matcher m = KEY.matcher(key);
    if (!m.matches()) {
      return null;
    }
    String module = m.group(1);
    return m.group(2).equals("A")
        ? PeftAdapterFormat.loraA(module)
        : PeftAdapterFormat.loraB(module);
  }

  /** Loads adapter {@code adapter}'s A and B matrices from {@code file} into {@code adapters}. */
  public static void load(
      LoraAdapters adapters, int adapter, Path file, NonFiniteWeights nonFinite) {
    LoraConfig c = adapters.configs().get(adapter);
    try (SafetensorsFile f = SafetensorsFile.open(file);
        NDManager tmp = adapters.model().newScope()) {
      Map<String, String> byCanonical = new HashMap<>();
      for (TensorInfo t : f.tensors()) {
        String canonical = canonical(t.name());
        if (canonical == null) {
          throw new ModelFormatException(
              file,
              t.name(),
              "unexpected tensor: not a LoRA matrix (expected <module>.lora_A / lora_B, e.g. "
                  + PeftAdapterFormat.loraA("model.layers.0.self_attn.q_proj")
                  + "; embeddings, biases, DoRA magnitudes and saved modules are not supported)");
        }
        String before = byCanonical.put(canonical, t.name());
        if (before != null) {
          throw new ModelFormatException(
              file, t.name(), "the same matrix is stored twice, also as " + before);
        }
      }
      Set<String> expected = new HashSet<>();
      for (LoraLinear l : adapters.layers()) {
        if (!c.targetModules().contains(l.target().moduleName())) {
          continue;
        }
        String proj = l.target().name();
        String aName = PeftAdapterFormat.loraA(proj);
        String bName = PeftAdapterFormat.loraB(proj);
        expected.add(aName);
        expected.add(bName);
        String aKey = stored(byCanonical, aName, file);
        String bKey = stored(byCanonical, bName, file);
        checkShape(
            file,
            aKey,
            f.find(aKey).orElseThrow().shape(),
            c.rank(),
            l.target().inFeatures(),
            "r from adapter_config.json, in from the model");
        checkShape(
            file,
            bKey,
            f.find(bKey).orElseThrow().shape(),
            l.target().outFeatures(),
            c.rank(),
            null);
        NDArray a = f.load(aKey, tmp);
        NDArray b = f.load(bKey, tmp);
        nonFinite.check(a, file, aKey);
        nonFinite.check(b, file, bKey);
        adapters.setWeights(adapter, proj, a, b);
      }
      for (Map.Entry<String, String> e : byCanonical.entrySet()) {
        if (!expected.contains(e.getKey())) {
          throw new ModelFormatException(
              file,
              e.getValue(),
              "unexpected tensor: adapter "
                  + c.name()
                  + " targets "
                  + c.targetModules()
                  + " of a model with "
                  + adapters.model().config().numLayers()
                  + " layers");
        }
      }
    }
  }

  private static String stored(Map<String, String> byCanonical, String name, Path file) {
    String key = byCanonical.get(name);
    if (key == null) {
      throw new ModelFormatException(file, name, "missing tensor");
    }
    return key;
  }

  private static void checkShape(
      Path file, String key, long[] found, long rows, long cols, String why) {
    long[] want = {rows, cols};
    if (!Arrays.equals(found, want)) {
      throw new ModelFormatException(
          file,
          key,
          "expected shape "
              + Arrays.toString(want)
              + (why == null ? "" : " (" + why + ")")
              + ", found "
              + Arrays.toString(found));
    }
  }
}
