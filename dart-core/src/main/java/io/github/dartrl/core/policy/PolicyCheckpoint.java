package io.github.dartrl.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.NonFiniteWeights;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.io.SafetensorsWriter;
import io.github.dartrl.core.io.UntrustedJson;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.lora.PeftAdapterFormat;
import io.github.dartrl.core.lora.PeftWeights;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.Detokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads a policy's adapters: one PEFT directory per adapter ({@code reasoning/}, {@code
 * tool/}, or {@code default/}) with {@code adapter_config.json} and {@code
 * adapter_model.safetensors}, plus {@code dart.json} recording the method, spans, tools (each
 * tool's span, role code and adapter), isolation and the role → adapter map. Each adapter directory
 * loads as-is in PEFT. Version 1 files (two-adapter DART, before per-tool adapters) still load.
 */
public final class PolicyCheckpoint {
  public static final String DART_FILE = "dart.json";

  /** The dart.json version this code writes (it also reads {@link #VERSION_ONE_TOOL}). */
  public static final int VERSION = 2;

  /** The version before per-tool adapters: no {@code tools}, every tool on the TOOL entry. */
  public static final int VERSION_ONE_TOOL = 1;

  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  private PolicyCheckpoint() {}

  /**
   * Writes the adapters of {@code policy} into {@code dir} (replaced atomically), recording the
   * directory the model was loaded from as the base model.
   */
  public static void save(Policy policy, Path dir) {
    save(policy, dir, baseModelOf(policy.model()));
  }

  /**
   * The base-model name recorded for adapters on {@code model}: the absolute directory it was
   * loaded from, or {@code "unknown"} for a model built in memory.
   */
  public static String baseModelOf(DecoderModel model) {
    return model.source().map(Path::toString).orElse("unknown");
  }

  /** Writes the adapters of {@code policy} into {@code dir} (replaced atomically). */
  public static void save(Policy policy, Path dir, String baseModel) {
    LoraAdapters adapters = policy.adapters();
    if (adapters == null) {
      throw new IllegalArgumentException(
          policy.method() + " has no adapters; save the backbone with HfCheckpoint instead");
    }
    AtomicDirectory.replace(
        dir,
        staging -> {
          try (NDManager tmp = policy.model().newScope()) {
            for (int i = 0; i < adapters.configs().size(); i++) {
              LoraConfig c = adapters.configs().get(i);
              Path sub = Files.createDirectories(staging.resolve(c.name()));
              Map<String, NDArray> tensors = new LinkedHashMap<>();
              for (Map.Entry<String, NDArray[]> e : adapters.weightsOf(i, tmp).entrySet()) {
                tensors.put(PeftAdapterFormat.loraA(e.getKey()), e.getValue()[0]);
                tensors.put(PeftAdapterFormat.loraB(e.getKey()), e.getValue()[1]);
              }
              SafetensorsWriter.write(
                  sub.resolve(PeftAdapterFormat.WEIGHTS_FILE),
                  tensors,
                  Map.of("format", "pt"),
                  SafetensorsDType.F32);
              JSON.writerWithDefaultPrettyPrinter()
                  .writeValue(
                      sub.resolve(PeftAdapterFormat.CONFIG_FILE).toFile(),
                      PeftAdapterFormat.configJson(c, baseModel));
            }
            JSON.writerWithDefaultPrettyPrinter()
                .writeValue(staging.resolve(DART_FILE).toFile(), dartJson(policy, baseModel));
          }
        });
  }

  private static ObjectNode dartJson(Policy policy, String baseModel) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", "dart4j-adapters");
    n.put("version", VERSION);
    n.put("method", policy.method().name());
    n.put("base_model", baseModel);
    ArrayNode names = n.putArray("adapters");
    policy.adapters().configs().forEach(c -> names.add(c.name()));
    ArrayNode spans = n.putArray("spans");
    for (ToolSpan s : policy.config().spans()) {
      spans.addObject().put("open", s.open()).put("close", s.close());
    }
    PolicyConfig config = policy.config();
    ArrayNode tools = n.putArray("tools");
    for (int k = 0; k < config.spans().size(); k++) {
      ToolSpan s = config.spans().get(k);
      tools
          .addObject()
          .put("span", k)
          .put("open", s.open())
          .put("close", s.close())
          .put("role_code", TokenRole.toolCode(k))
          .put("adapter", toolAdapterOf(config, policy, k));
    }
    ObjectNode roles = n.putObject("role_map");
    policy.roleMap().asMap().forEach((r, a) -> roles.put(r.name(), a));
    n.put("isolation", policy.config().isolation().name());
    return n;
  }

  /** The adapter holding tool k's weights: under DART 1 + its group, else what the map routes. */
  private static int toolAdapterOf(PolicyConfig config, Policy policy, int k) {
    return config.method().isRouted()
        ? 1 + config.toolGroup(k)
        : policy.roleMap().adapterForTool(k);
  }

  /**
   * Loads adapters saved by {@link #save} onto {@code model} and returns the policy. The adapters'
   * ranks, targets and tensor shapes must fit the model; every mismatch is an error naming the file
   * and field or tensor.
   */
  public static Policy load(DecoderModel model, Path dir, Detokenizer detok) {
    return load(model, dir, detok, NonFiniteWeights.REJECT);
  }

  /**
   * Loads adapters as {@link #load(DecoderModel, Path, Detokenizer)} does, with a choice of what to
   * do with NaN or infinite adapter weights.
   */
  public static Policy load(
      DecoderModel model, Path dir, Detokenizer detok, NonFiniteWeights nonFinite) {
    return load(model, dir, detok, nonFinite, BaseModelCheck.REFUSE);
  }

  /**
   * Loads adapters, choosing what to do when dart.json's {@code base_model} is not the directory
   * the model was loaded from (see {@link BaseModelCheck}).
   */
  public static Policy load(
      DecoderModel model,
      Path dir,
      Detokenizer detok,
      NonFiniteWeights nonFinite,
      BaseModelCheck baseModelCheck) {
    Path dartFile = dir.resolve(DART_FILE);
    if (!Files.isRegularFile(dartFile)) {
      throw new ModelFormatException(
          dartFile,
          null,
          "expected the dart.json written by PolicyCheckpoint.save, found none"
              + (Files.isDirectory(dir) ? "" : " (the adapter directory does not exist)")
              + (isPlainPeft(dir)
                  ? "; this is a plain PEFT adapter: load it with PolicyCheckpoint.loadPeft"
                  : ""));
    }
    JsonNode n;
    try {
      n = JSON.readTree(dartFile.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ModelFormatException.malformedJson(dartFile, e);
    } catch (IOException e) {
      throw new ModelFormatException(dartFile, null, "cannot read dart.json: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(dartFile, null, "expected a JSON object");
    }
    JsonNode version = n.get("version");
    if (version == null
        || !version.isInt()
        || (version.intValue() != VERSION && version.intValue() != VERSION_ONE_TOOL)) {
      throw new ModelFormatException(
          dartFile,
          "version",
          "unsupported dart.json version "
              + version
              + "; this dart4j reads versions "
              + VERSION_ONE_TOOL
              + " and "
              + VERSION
              + " (written by a newer dart4j, or not a dart4j adapter checkpoint)");
    }
    baseModelCheck.check(dartFile, n.get("base_model"), model);
    Method method;
    try {
      method = Method.valueOf(n.path("method").asText(""));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(
          dartFile,
          "method",
          "unknown method "
              + n.get("method")
              + "; expected one of "
              + java.util.Arrays.toString(Method.values()));
    }
    List<String> names = new ArrayList<>();
    for (JsonNode a : n.path("adapters")) {
      // Each name becomes a subdirectory to read: never let the file point outside the checkpoint.
      if (!a.isTextual() || !LoraConfig.isValidName(a.asText())) {
        throw new ModelFormatException(
            dartFile,
            "adapters",
            "expected adapter names matching [A-Za-z0-9_.-]+ (plain directory names, not '.' or"
                + " '..'), found "
                + a);
      }
      names.add(a.asText());
    }
    List<ToolSpan> spans = new ArrayList<>();
    try {
      for (JsonNode s : n.path("spans")) {
        spans.add(new ToolSpan(s.path("open").asText(null), s.path("close").asText(null)));
      }
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(dartFile, "spans", e.getMessage(), e);
    }
    if (spans.isEmpty()) {
      throw new ModelFormatException(dartFile, "spans", "expected at least one tool span");
    }
    List<Integer> groups =
        version.intValue() == VERSION_ONE_TOOL
            ? List.of()
            : ToolEntries.groups(dartFile, n.get("tools"), spans, method);
    int expectedAdapters =
        method.isRouted()
            ? 1 + (groups.isEmpty() ? spans.size() : new HashSet<>(groups).size())
            : method.adapterCount();
    if (version.intValue() == VERSION_ONE_TOOL && method.isRouted()) {
      // version 1: two adapters whatever the spans; every tool on the one tool adapter
      expectedAdapters = method.adapterCount();
      groups = java.util.Collections.nCopies(spans.size(), 0);
    }
    if (names.size() != expectedAdapters) {
      throw new ModelFormatException(
          dartFile,
          "adapters",
          method
              + " with "
              + spans.size()
              + " tool span(s) needs "
              + expectedAdapters
              + " adapters, found "
              + names);
    }
    try {
      // a throwaway config (rank 1) only to compute the map this method implies
      checkRoleMap(
          dartFile,
          n.get("role_map"),
          method,
          new PolicyConfig(method, 1, 1, false, Set.of(), spans, Isolation.SHARED, 0, groups)
              .roleMap()
              .asMap());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(dartFile, "tools", e.getMessage(), e);
    }
    Isolation isolation;
    try {
      isolation = Isolation.valueOf(n.path("isolation").asText("SHARED"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(
          dartFile, "isolation", "expected SHARED or STRICT, found " + n.get("isolation"));
    }
    List<LoraConfig> configs = new ArrayList<>();
    for (String name : names) {
      configs.add(PeftAdapterFormat.readConfig(dir.resolve(name), name));
    }
    LoraConfig first = configs.get(0);
    PolicyConfig pc =
        new PolicyConfig(
            method,
            first.rank(),
            first.alpha(),
            first.rsLora(),
            first.targetModules(),
            spans,
            isolation,
            0,
            groups);
    LoraAdapters adapters = LoraAdapters.attach(model, configs, 0);
    try {
      for (int i = 0; i < configs.size(); i++) {
        PeftWeights.load(
            adapters,
            i,
            dir.resolve(configs.get(i).name()).resolve(PeftAdapterFormat.WEIGHTS_FILE),
            nonFinite);
      }
    } catch (RuntimeException e) {
      adapters.close();
      throw e;
    }
    return Policy.wrap(model, pc, adapters, detok);
  }

  /**
   * Loads a plain PEFT LoRA directory (no dart.json: e.g. one written by PEFT's {@code
   * save_pretrained} or another tool) onto {@code model}: as the single adapter of a {@link
   * Method#LORA} policy, or as the initial value of every adapter of a multi-adapter method such as
   * DART. Rank, alpha and targets come from {@code adapter_config.json} (rank and alpha of {@code
   * config} are ignored); the method, spans, isolation and seed from {@code config}. Key spellings
   * PEFT writes are accepted (see {@link PeftWeights}); DoRA, per-module ranks or alphas, adapters
   * limited to some layers and saved extra modules are refused with the field named.
   */
  public static Policy loadPeft(
      DecoderModel model, Path peftDir, PolicyConfig config, Detokenizer detok) {
    return loadPeft(model, peftDir, config, detok, BaseModelCheck.REFUSE);
  }

  /**
   * As {@link #loadPeft(DecoderModel, Path, PolicyConfig, Detokenizer)} with a base-model check.
   */
  public static Policy loadPeft(
      DecoderModel model,
      Path peftDir,
      PolicyConfig config,
      Detokenizer detok,
      BaseModelCheck baseModelCheck) {
    return PeftImport.load(model, peftDir, config, detok, NonFiniteWeights.REJECT, baseModelCheck);
  }

  /** Whether {@code dir} is a plain PEFT adapter directory (an adapter config, no dart.json). */
  public static boolean isPlainPeft(Path dir) {
    return !Files.exists(dir.resolve(DART_FILE))
        && Files.isRegularFile(dir.resolve(PeftAdapterFormat.CONFIG_FILE));
  }

  /**
   * Overwrites the adapter weights of an existing policy with those saved in {@code dir} (e.g. when
   * resuming training). Method, adapter names, ranks and targets must match.
   */
  public static void restore(Policy policy, Path dir) {
    LoraAdapters adapters = policy.adapters();
    if (adapters == null) {
      throw new IllegalArgumentException(policy.method() + " has no adapters to restore");
    }
    for (int i = 0; i < adapters.configs().size(); i++) {
      LoraConfig want = adapters.configs().get(i);
      Path sub = dir.resolve(want.name());
      LoraConfig saved = PeftAdapterFormat.readConfig(sub, want.name());
      if (!saved.equals(want)) {
        throw new ModelFormatException(
            sub.resolve(PeftAdapterFormat.CONFIG_FILE),
            null,
            "adapter differs from the policy's: expected " + want + ", found " + saved);
      }
      PeftWeights.load(
          adapters, i, sub.resolve(PeftAdapterFormat.WEIGHTS_FILE), NonFiniteWeights.REJECT);
    }
  }

  private static void checkRoleMap(
      Path file, JsonNode roleMap, Method method, Map<TokenRole, Integer> expected) {
    if (roleMap == null || !roleMap.isObject()) {
      throw new ModelFormatException(
          file, "role_map", "expected an object mapping each role to an adapter index");
    }
    Set<String> seen = new HashSet<>();
    var it = roleMap.fields();
    while (it.hasNext()) {
      var e = it.next();
      TokenRole role;
      try {
        role = TokenRole.valueOf(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw new ModelFormatException(
            file,
            "role_map." + e.getKey(),
            "unknown role; expected one of PROMPT, REASONING, TOOL, OBSERVATION");
      }
      if (!e.getValue().isInt() || e.getValue().asInt() != expected.get(role)) {
        throw new ModelFormatException(
            file,
            "role_map." + role,
            method
                + " maps "
                + role
                + " to adapter "
                + expected.get(role)
                + ", found "
                + e.getValue());
      }
      seen.add(role.name());
    }
    if (seen.size() != TokenRole.values().length) {
      throw new ModelFormatException(file, "role_map", "must map every role, found " + seen);
    }
  }
}
