#!/usr/bin/env python3
"""A PEFT LoRA adapter for the tiny-qwen2 fixture, spelt the way third-party tools write it.

dart4j writes `base_model.model.<module>.lora_A.weight` and a float-or-int alpha; this fixture uses
the other spellings PEFT's own files and tools built on it contain, so the loader is tested on them:
  - keys with the adapter name left in: `base_model.model.<module>.lora_A.default.weight` (what
    `model.state_dict()` of a PeftModel holds, saved as-is by some trainers);
  - one projection without the `base_model.model.` prefix and one without the trailing `.weight`;
  - `lora_alpha` as a JSON integer, `base_model_name_or_path` null, and the extra fields newer PEFT
    versions write (`layer_replication`, `loftq_config`, `megatron_config`, `use_dora: false`...).
The weights are random (numpy seed 19), B non-zero so the adapter changes the logits.

    /usr/bin/python3 scripts/oracle/make_peft_fixture.py dart-core/src/test/resources/fixtures/peft-default-keys

Uses only numpy (Debian's python3-numpy); the safetensors file is written byte by byte.
"""
import json
import os
import struct
import sys

import numpy as np

LAYERS, HIDDEN, KV_OUT, RANK, ALPHA = 2, 64, 32, 4, 8  # tiny-qwen2: 4 heads x 16, 2 KV heads


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, array in tensors:
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(19)
    tensors = []
    for layer in range(LAYERS):
        for proj, out_features in (("q_proj", HIDDEN), ("v_proj", KV_OUT)):
            module = f"model.layers.{layer}.self_attn.{proj}"
            a = rng.normal(0, 0.3, (RANK, HIDDEN)).astype(np.float32)
            b = rng.normal(0, 0.3, (out_features, RANK)).astype(np.float32)
            prefix = "" if (layer, proj) == (1, "q_proj") else "base_model.model."
            suffix = "" if (layer, proj) == (1, "v_proj") else ".weight"
            tensors.append((f"{prefix}{module}.lora_A.default{suffix}", a))
            tensors.append((f"{prefix}{module}.lora_B.default{suffix}", b))
    write_safetensors(os.path.join(out, "adapter_model.safetensors"), tensors)
    config = {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": None,
        "bias": "none", "fan_in_fan_out": False, "inference_mode": True,
        "init_lora_weights": True, "layer_replication": None, "layers_pattern": None,
        "layers_to_transform": None, "loftq_config": {}, "lora_alpha": ALPHA,
        "lora_dropout": 0.05, "megatron_config": None, "megatron_core": "megatron.core",
        "modules_to_save": None, "peft_type": "LORA", "r": RANK, "rank_pattern": {},
        "revision": None, "target_modules": ["v_proj", "q_proj"], "task_type": "CAUSAL_LM",
        "use_dora": False, "use_rslora": False,
    }
    with open(os.path.join(out, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
