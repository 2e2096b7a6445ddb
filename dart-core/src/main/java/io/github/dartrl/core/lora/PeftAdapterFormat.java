package io.github.dartrl.core.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The PEFT on-disk names and {@code adapter_config.json} fields, kept in one place: tensor names
 * {@code base_model.model.<module>.lora_A.weight} ({@code [r, in]}) and {@code .lora_B.weight}
 * ({@code [out, r]}).
 */
public final class PeftAdapterFormat {
  public static final String CONFIG_FILE = "adapter_config.json";
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  private static final String PREFIX = "base_model.model.";
  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  private PeftAdapterFormat() {}

  /** PEFT name of a projection's A matrix, e.g. for {@code model.layers.0.self_attn.q_proj}. */
  public static String loraA(String projection) {
    return PREFIX + projection + ".lora_A.weight";
  }

  public static String loraB(String projection) {
    return PREFIX + projection + ".lora_B.weight";
  }

  /** The {@code adapter_config.json} of an adapter, as PEFT writes it. */
  public static ObjectNode configJson(LoraConfig c, String baseModel) {
    ObjectNode n = JSON.createObjectNode();
    n.putObject("alpha_pattern");
    n.putNull("auto_mapping");
    n.put("base_model_name_or_path", baseModel);
    n.put("bias", "none");
    n.put("fan_in_fan_out", false);
    n.put("inference_mode", true);
    n.put("init_lora_weights", true);
    n.putNull("layers_pattern");
    n.putNull("layers_to_transform");
    // PEFT writes an int when alpha is integral (LoraConfig(lora_alpha=16)); so do we, and read
    // both
    if (c.alpha() == Math.rint(c.alpha()) && Math.abs(c.alpha()) <= Integer.MAX_VALUE) {
      n.put("lora_alpha", (int) c.alpha());
    } else {
      n.put("lora_alpha", c.alpha());
    }
    n.put("lora_dropout", 0.0);
    n.putNull("modules_to_save");
    n.put("peft_type", "LORA");
    n.put("r", c.rank());
    n.putObject("rank_pattern");
    n.putNull("revision");
    c.targetModules().forEach(n.putArray("target_modules")::add);
    n.put("task_type", "CAUSAL_LM");
    n.put("use_dora", false);
    n.put("use_rslora", c.rsLora());
    return n;
  }

  /** Reads and validates an adapter directory's config; {@code name} becomes the adapter's name. */
  public static LoraConfig readConfig(Path adapterDir, String name) {
    Path file = adapterDir.resolve(CONFIG_FILE);
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ModelFormatException(file, null, "adapter_config.json not found");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ModelFormatException.malformedJson(file, e);
    } catch (IOException e) {
      throw new ModelFormatException(file, null, "cannot read: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(file, null, "expected a JSON object");
    }
    require(file, "peft_type", n.path("peft_type").asText("").equals("LORA"), "expected \"LORA\"");
    require(
        file,
        "r",
        n.path("r").isIntegralNumber() && n.get("r").asInt() > 0,
        "expected a positive integer");
    require(
        file,
        "lora_alpha",
        n.path("lora_alpha").isNumber() && n.get("lora_alpha").asDouble() > 0,
        "expected a positive number");
    require(
        file,
        "bias",
        n.path("bias").asText("none").equals("none"),
        "only bias \"none\" is supported");
    require(
        file, "use_dora", !n.path("use_dora").asBoolean(false), "DoRA adapters are not supported");
    require(
        file,
        "rank_pattern",
        isEmptyObject(n.get("rank_pattern")),
        "per-module ranks are not supported");
    require(
        file,
        "alpha_pattern",
        isEmptyObject(n.get("alpha_pattern")),
        "per-module alphas are not supported");
    // PEFT would adapt only some layers, or train and save whole extra modules: loading such an
    // adapter as plain LoRA on every layer would silently compute something else.
    require(
        file,
        "layers_to_transform",
        isAbsent(n.get("layers_to_transform")),
        "adapters limited to some layers are not supported (dart4j adapts every layer); found "
            + n.get("layers_to_transform"));
    require(
        file,
        "layers_pattern",
        isAbsent(n.get("layers_pattern")),
        "layers_pattern is not supported; found " + n.get("layers_pattern"));
    require(
        file,
        "modules_to_save",
        isAbsent(n.get("modules_to_save")),
        "fully trained extra modules are not supported (only LoRA matrices are loaded); found "
            + n.get("modules_to_save"));
    require(
        file,
        "fan_in_fan_out",
        !n.path("fan_in_fan_out").asBoolean(false),
        "fan_in_fan_out is not supported");
    JsonNode targets = n.get("target_modules");
    require(
        file,
        "target_modules",
        targets != null && targets.isArray() && targets.size() > 0,
        "expected a non-empty list of module names (regex strings are not supported)");
    Set<String> modules = new LinkedHashSet<>();
    for (JsonNode t : targets) {
      require(
          file,
          "target_modules",
          t.isTextual() && LoraConfig.ALL_LINEAR.contains(t.asText()),
          "unknown module " + t + "; expected some of " + LoraConfig.ALL_LINEAR);
      modules.add(t.asText());
    }
    return new LoraConfig(
        name,
        n.get("r").asInt(),
        n.get("lora_alpha").asDouble(),
        n.path("use_rslora").asBoolean(false),
        modules);
  }

  private static boolean isAbsent(JsonNode n) {
    return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }

  private static boolean isEmptyObject(JsonNode n) {
    return n == null || n.isNull() || n.isObject() && n.isEmpty();
  }

  private static void require(Path file, String field, boolean ok, String expected) {
    if (!ok) {
      throw new ModelFormatException(file, field, expected);
    }
  }
}
