package io.github.dartrl.core.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.model.HfCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Bad model directories: {@code config.json} and safetensors weights, loaded by HfCheckpoint. */
final class ModelDirFaults {
  private ModelDirFaults() {}

  private static final String NORM = "model.norm.weight";
  private static final String LN0 = "model.layers.0.input_layernorm.weight";
  private static final String DOWN1 = "model.layers.1.mlp.down_proj.weight";

  private static Object load(Workspace w) throws Exception {
    return HfCheckpoint.load(w.model(), w.manager());
  }

  private static Path config(Workspace w) throws Exception {
    return w.model().resolve("config.json");
  }

  private static Path weights(Workspace w) throws Exception {
    return w.model().resolve("model.safetensors");
  }

  /** Reads the fixture weights, lets {@code edit} break them, writes them back. */
  private static FaultCase.Arrange editWeights(Edit edit) {
    return w -> {
      RawSafetensors raw = RawSafetensors.read(weights(w));
      edit.apply(raw);
      raw.write(weights(w));
    };
  }

  @FunctionalInterface
  private interface Edit {
    void apply(RawSafetensors raw) throws Exception;
  }

  private static final Class<ModelFormatException> MFE = ModelFormatException.class;

  static List<FaultCase> cases() {
    Category c = Category.MODEL_CONFIG;
    Category s = Category.SAFETENSORS;
    return List.of(
        of(
            "config-missing",
            c,
            "model dir without config.json",
            w -> Files.delete(config(w)),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "not found")),
        of(
            "config-malformed-json",
            c,
            "config.json cut off after its first field",
            w -> w.write("model/config.json", "{\n  \"model_type\": \"qwen2\",\n"),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "malformed JSON at line 3", "expected a JSON object")),
        of(
            "config-hidden-size-zero",
            c,
            "config.json \"hidden_size\": 0",
            w -> w.editJson(config(w), n -> n.put("hidden_size", 0)),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "[hidden_size]", "expected a positive integer, found 0")),
        of(
            "config-hidden-size-string",
            c,
            "config.json \"hidden_size\": \"32\" (a string)",
            w -> w.editJson(config(w), n -> n.put("hidden_size", "32")),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "[hidden_size]", "expected a positive integer")),
        of(
            "config-unsupported-model-type",
            c,
            "config.json \"model_type\": \"gpt2\"",
            w -> w.editJson(config(w), n -> n.put("model_type", "gpt2")),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "[model_type]", "gpt2", "supported: qwen2, llama")),
        of(
            "config-kv-heads-not-divisor",
            c,
            "config.json num_attention_heads 4, num_key_value_heads 3",
            w -> w.editJson(config(w), n -> n.put("num_key_value_heads", 3)),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "[num_key_value_heads]", "must be a multiple of it")),
        of(
            "config-rope-theta-negative",
            c,
            "config.json \"rope_theta\": -1",
            w -> w.editJson(config(w), n -> n.put("rope_theta", -1.0)),
            ModelDirFaults::load,
            throwsA(MFE, "config.json", "[rope_theta]", "expected a positive number")),
        of(
            "config-shape-mismatch",
            c,
            "config.json intermediate_size 48, weights saved with 64",
            w -> w.editJson(config(w), n -> n.put("intermediate_size", 48)),
            ModelDirFaults::load,
            throwsA(MFE, "model.safetensors", "mlp.", "shape mismatch with config.json", "48")),
        of(
            "weights-missing",
            s,
            "model dir without model.safetensors or an index",
            w -> Files.delete(weights(w)),
            ModelDirFaults::load,
            throwsA(MFE, "model", "expected model.safetensors or model.safetensors.index.json")),
        of(
            "safetensors-empty-file",
            s,
            "model.safetensors of 0 bytes",
            w -> Files.write(weights(w), new byte[0]),
            ModelDirFaults::load,
            throwsA(MFE, "model.safetensors", "[header length]", "expected at least 8 bytes")),
        of(
            "safetensors-truncated",
            s,
            "model.safetensors cut to half its size",
            w -> {
              byte[] all = Files.readAllBytes(weights(w));
              Files.write(weights(w), Arrays.copyOf(all, all.length / 2));
            },
            ModelDirFaults::load,
            throwsA(MFE, "model.safetensors", "begin <= end <=", "the data section length")),
        of(
            "safetensors-header-too-long",
            s,
            "header length field 2^40",
            w -> {
              RawSafetensors raw = RawSafetensors.read(weights(w));
              RawSafetensors.writeRaw(weights(w), 1L << 40, raw.headerBytes(), raw.data);
            },
            ModelDirFaults::load,
            throwsA(
                MFE,
                "model.safetensors",
                "[header length]",
                "at most 100000000 bytes",
                "1099511627776")),
        of(
            "safetensors-header-past-eof",
            s,
            "header length field larger than the file",
            w -> {
              RawSafetensors raw = RawSafetensors.read(weights(w));
              byte[] h = raw.headerBytes();
              RawSafetensors.writeRaw(weights(w), h.length + raw.data.length + 1, h, raw.data);
            },
            ModelDirFaults::load,
            throwsA(MFE, "[header length]", "file size minus 8", "truncated or not safetensors")),
        of(
            "safetensors-header-not-json",
            s,
            "header bytes that are not JSON",
            w -> {
              byte[] h = RawSafetensors.utf8("this is not a JSON header");
              RawSafetensors.writeRaw(weights(w), h.length, h, new byte[16]);
            },
            ModelDirFaults::load,
            throwsA(
                MFE, "model.safetensors", "[header]", "expected a JSON object", "invalid JSON")),
        of(
            "safetensors-unknown-dtype",
            s,
            "dtype \"F8_E4M3\" on model.norm.weight",
            editWeights(r -> r.entry(NORM).put("dtype", "F8_E4M3")),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "expected dtype one of", "found 'F8_E4M3'")),
        of(
            "safetensors-overlapping-offsets",
            s,
            "model.norm.weight's data_offsets equal to another tensor's",
            editWeights(r -> r.setOffsets(NORM, r.begin(LN0), r.end(LN0))),
            ModelDirFaults::load,
            throwsA(MFE, "model.safetensors", "expected tensors not to overlap", "overlapping")),
        of(
            "safetensors-offsets-reversed",
            s,
            "data_offsets [end, begin]",
            editWeights(r -> r.setOffsets(NORM, r.end(NORM), r.begin(NORM))),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "expected data_offsets [begin, end] with begin <= end")),
        of(
            "safetensors-offsets-out-of-range",
            s,
            "data_offsets ending 1 MB past the data section",
            editWeights(r -> r.setOffsets(NORM, r.begin(NORM), r.end(NORM) + (1 << 20))),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "(the data section length)")),
        of(
            "safetensors-shape-vs-bytes",
            s,
            "shape [64] over the 128 bytes of a [32] F32 tensor",
            editWeights(r -> r.setShape(NORM, 64)),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "expected shape [64] x F32", "spanning 128 bytes")),
        of(
            "safetensors-nan-weight",
            s,
            "one NaN in model.norm.weight",
            editWeights(r -> r.setF32(NORM, 3, Float.NaN)),
            ModelDirFaults::load,
            throwsA(MFE, "model.safetensors", "[" + NORM + "]", "expected finite values", "1 NaN")),
        of(
            "safetensors-inf-weight",
            s,
            "+Inf in a down_proj weight",
            editWeights(r -> r.setF32(DOWN1, 0, Float.POSITIVE_INFINITY)),
            ModelDirFaults::load,
            throwsA(MFE, "[" + DOWN1 + "]", "expected finite values", "1 infinite")),
        of(
            "safetensors-missing-tensor",
            s,
            "model.norm.weight removed from the header",
            editWeights(r -> r.header.remove(NORM)),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "missing tensor (expected shape (32)")),
        of(
            "safetensors-unexpected-tensor",
            s,
            "an extra tensor model.extra.weight",
            editWeights(
                r -> {
                  int at = r.data.length;
                  r.data = Arrays.copyOf(r.data, at + 128);
                  r.header.putObject("model.extra.weight").put("dtype", "F32");
                  r.setShape("model.extra.weight", 32);
                  r.setOffsets("model.extra.weight", at, at + 128);
                }),
            ModelDirFaults::load,
            throwsA(MFE, "[model.extra.weight]", "unexpected tensor", "qwen2")),
        of(
            "safetensors-integer-weight",
            s,
            "model.norm.weight stored as I32",
            editWeights(r -> r.entry(NORM).put("dtype", "I32")),
            ModelDirFaults::load,
            throwsA(MFE, "[" + NORM + "]", "expected a floating-point tensor, found I32")),
        of(
            "shard-outside-model-dir",
            s,
            "index maps a tensor to ../outside.safetensors",
            w -> {
              Files.delete(weights(w));
              w.write(
                  "model/model.safetensors.index.json",
                  "{\"weight_map\": {\"" + NORM + "\": \"../outside.safetensors\"}}");
            },
            ModelDirFaults::load,
            throwsA(
                MFE,
                "model.safetensors.index.json",
                "expected a shard file name inside the model directory",
                "../outside.safetensors")),
        of(
            "shard-missing",
            s,
            "index lists a shard file that is absent",
            w -> {
              Files.delete(weights(w));
              w.write(
                  "model/model.safetensors.index.json",
                  "{\"weight_map\": {\"" + NORM + "\": \"model-00001-of-00002.safetensors\"}}");
            },
            ModelDirFaults::load,
            throwsA(
                MFE,
                "model.safetensors.index.json",
                "expected shard 'model-00001-of-00002.safetensors' to exist")));
  }
}
