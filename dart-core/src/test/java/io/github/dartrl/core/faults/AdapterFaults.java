package io.github.dartrl.core.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Bad adapter directories (dart.json + PEFT sub-directories), loaded by PolicyCheckpoint. */
final class AdapterFaults {
  private AdapterFaults() {}

  private static final String Q0 = "base_model.model.model.layers.0.self_attn.q_proj";
  private static final Class<ModelFormatException> MFE = ModelFormatException.class;

  /** Loads the workspace model, then the adapters in {@code dir}, as a user would. */
  private static Object load(Workspace w, Path dir) throws Exception {
    DecoderModel m = HfCheckpoint.load(w.model(), w.manager());
    TextTokenizer tok = w.closeLater(TextTokenizer.load(w.model()));
    return w.closeLater(PolicyCheckpoint.load(m, dir, tok));
  }

  private static Object load(Workspace w) throws Exception {
    return load(w, w.adapters());
  }

  private static Path file(Workspace w, String relative) throws Exception {
    return w.adapters().resolve(relative);
  }

  private static FaultCase.Arrange editWeights(String adapter, Edit edit) {
    return w -> {
      Path f = file(w, adapter + "/adapter_model.safetensors");
      RawSafetensors raw = RawSafetensors.read(f);
      edit.apply(raw);
      raw.write(f);
    };
  }

  @FunctionalInterface
  private interface Edit {
    void apply(RawSafetensors raw) throws Exception;
  }

  static List<FaultCase> cases() {
    Category a = Category.ADAPTER;
    return List.of(
        of(
            "adapter-dir-missing",
            a,
            "--adapters pointing to a directory that does not exist",
            Workspace::model,
            w -> load(w, w.path("no-such-adapters")),
            throwsA(MFE, "dart.json", "found none", "the adapter directory does not exist")),
        of(
            "adapter-dart-json-missing",
            a,
            "adapter dir without dart.json",
            w -> Files.delete(file(w, "dart.json")),
            AdapterFaults::load,
            throwsA(MFE, "dart.json", "expected the dart.json written by PolicyCheckpoint.save")),
        of(
            "adapter-config-missing",
            a,
            "tool/adapter_config.json deleted",
            w -> Files.delete(file(w, "tool/adapter_config.json")),
            AdapterFaults::load,
            throwsA(MFE, "tool/adapter_config.json", "adapter_config.json not found")),
        of(
            "adapter-weights-missing",
            a,
            "tool/adapter_model.safetensors deleted",
            w -> Files.delete(file(w, "tool/adapter_model.safetensors")),
            AdapterFaults::load,
            throwsA(MFE, "tool/adapter_model.safetensors", "expected a safetensors file")),
        of(
            "adapter-config-malformed-json",
            a,
            "reasoning/adapter_config.json cut off",
            w -> Files.writeString(file(w, "reasoning/adapter_config.json"), "{\n  \"r\": 8,\n"),
            AdapterFaults::load,
            throwsA(MFE, "reasoning/adapter_config.json", "malformed JSON at line 3")),
        of(
            "adapter-wrong-rank",
            a,
            "tool/adapter_config.json says r=4, tensors have rank 8",
            w -> w.editJson(file(w, "tool/adapter_config.json"), n -> n.put("r", 4)),
            AdapterFaults::load,
            throwsA(
                MFE,
                "tool/adapter_model.safetensors",
                ".lora_A.weight]",
                "expected shape [4, 32] (r from adapter_config.json",
                "found [8, 32]")),
        of(
            "adapter-unknown-target",
            a,
            "target_modules [\"q_proj\", \"foo_proj\"]",
            w ->
                w.editJson(
                    file(w, "tool/adapter_config.json"),
                    n -> n.putArray("target_modules").add("q_proj").add("foo_proj")),
            AdapterFaults::load,
            throwsA(MFE, "tool/adapter_config.json", "[target_modules]", "unknown module")),
        of(
            "adapter-fewer-targets-than-tensors",
            a,
            "target_modules [\"q_proj\"] but tensors for all seven projections",
            w ->
                w.editJson(
                    file(w, "tool/adapter_config.json"),
                    n -> n.putArray("target_modules").add("q_proj")),
            AdapterFaults::load,
            throwsA(
                MFE, "tool/adapter_model.safetensors", "unexpected tensor", "targets [q_proj]")),
        of(
            "adapter-shape-for-another-model",
            a,
            "q_proj lora_B stored as [16, 16] instead of [32, 8]",
            editWeights("reasoning", r -> r.setShape(Q0 + ".lora_B.weight", 16, 16)),
            AdapterFaults::load,
            throwsA(MFE, "[" + Q0 + ".lora_B.weight]", "expected shape [32, 8], found [16, 16]")),
        of(
            "adapter-nan-weight",
            a,
            "a NaN in reasoning's q_proj lora_A",
            editWeights("reasoning", r -> r.setF32(Q0 + ".lora_A.weight", 5, Float.NaN)),
            AdapterFaults::load,
            throwsA(
                MFE,
                "reasoning/adapter_model.safetensors",
                "[" + Q0 + ".lora_A.weight]",
                "expected finite values, found 1 NaN")),
        of(
            "adapter-unknown-method",
            a,
            "dart.json \"method\": \"TRIPLE\"",
            w -> w.editJson(file(w, "dart.json"), n -> n.put("method", "TRIPLE")),
            AdapterFaults::load,
            throwsA(MFE, "dart.json", "[method]", "unknown method \"TRIPLE\"")),
        of(
            "adapter-name-escapes-dir",
            a,
            "dart.json \"adapters\": [\"..\", \"tool\"]",
            w ->
                w.editJson(file(w, "dart.json"), n -> n.putArray("adapters").add("..").add("tool")),
            AdapterFaults::load,
            throwsA(MFE, "dart.json", "[adapters]", "expected adapter names matching", "\"..\"")),
        of(
            "adapter-role-map-wrong",
            a,
            "dart.json role_map TOOL -> 0",
            w -> w.editJson(file(w, "dart.json"), n -> n.with("role_map").put("TOOL", 0)),
            AdapterFaults::load,
            throwsA(MFE, "dart.json", "[role_map.TOOL]", "DART maps TOOL to adapter 1, found 0")),
        of(
            "adapter-peft-type-wrong",
            a,
            "adapter_config.json \"peft_type\": \"IA3\"",
            w -> w.editJson(file(w, "tool/adapter_config.json"), n -> n.put("peft_type", "IA3")),
            AdapterFaults::load,
            throwsA(MFE, "tool/adapter_config.json", "[peft_type]", "expected \"LORA\"")),
        of(
            "adapter-restore-rank-differs",
            a,
            "restoring rank-8 adapters into a rank-4 DART policy",
            Workspace::adapters,
            w -> {
              DecoderModel m = HfCheckpoint.load(w.model(), w.manager());
              TextTokenizer tok = w.closeLater(TextTokenizer.load(w.model()));
              Policy p = w.closeLater(Policy.create(m, PolicyConfig.of(Method.DART, 4), tok));
              PolicyCheckpoint.restore(p, w.adapters());
              return p;
            },
            throwsA(
                MFE,
                "reasoning/adapter_config.json",
                "adapter differs from the policy's",
                "rank=4",
                "rank=8")));
  }
}
