#!/usr/bin/env python3
"""Golden tables for dart4j's rotary scaling: YaRN and dynamic NTK, as transformers computes them.

Written from the formulas of transformers' modeling_rope_utils (`_compute_yarn_parameters`,
`_compute_dynamic_ntk_parameters`, main branch, late 2025), re-derived here in numpy float32 so
that the Java implementation is checked against code it shares nothing with. Like transformers:
  - frequencies are computed in float32 (`base ** (arange(0, dim, 2) / dim)`);
  - yarn: if rope_scaling has original_max_position_embeddings, the factor used is
    max_position_embeddings / original_max_position_embeddings (not the `factor` field);
    attention_factor defaults to 0.1*ln(s)+1 (or the mscale / mscale_all_dim ratio);
    beta_fast / beta_slow default to 32 / 1 (`get(key) or default`); truncate defaults to True;
  - dynamic: seq_len = max(seq_len, max_position_embeddings) and
    base' = base * (factor * seq_len / max - (factor - 1)) ** (dim / (dim - 2)).

    /usr/bin/python3 scripts/oracle/rope_scaling.py \
        > dart-core/src/test/resources/fixtures/rope/rope_goldens.json

Run with Debian's python3-numpy (apt-get install python3-numpy).
"""
import json
import math

import numpy as np

F32 = np.float32


def exponents(dim):
    return np.arange(0, dim, 2, dtype=np.int64).astype(F32) / F32(dim)


def default_inv_freq(base, dim):
    return F32(1.0) / (F32(base) ** exponents(dim))


def yarn(cfg):
    rs = cfg["rope_scaling"]
    base, dim = cfg["rope_theta"], cfg["head_dim"]
    factor = rs["factor"]
    if "original_max_position_embeddings" in rs:
        original = rs["original_max_position_embeddings"]
        factor = cfg["max_position_embeddings"] / original
    else:
        original = cfg["max_position_embeddings"]

    def magnitude(scale, m=1.0):
        return 1.0 if scale <= 1 else 0.1 * m * math.log(scale) + 1.0

    attention = rs.get("attention_factor")
    if attention is None:
        if rs.get("mscale") and rs.get("mscale_all_dim"):
            attention = magnitude(factor, rs["mscale"]) / magnitude(factor, rs["mscale_all_dim"])
        else:
            attention = magnitude(factor)
    beta_fast = rs.get("beta_fast") or 32
    beta_slow = rs.get("beta_slow") or 1

    def correction_dim(rotations):
        return (dim * math.log(original / (rotations * 2 * math.pi))) / (2 * math.log(base))

    low, high = correction_dim(beta_fast), correction_dim(beta_slow)
    if rs.get("truncate", True):
        low, high = math.floor(low), math.ceil(high)
    low, high = max(low, 0), min(high, dim - 1)
    if low == high:
        high += 0.001
    ramp = np.clip((np.arange(dim // 2, dtype=F32) - F32(low)) / F32(high - low), 0, 1).astype(F32)
    pos_freqs = F32(base) ** exponents(dim)
    extrapolation = F32(1.0) / pos_freqs
    interpolation = F32(1.0) / (F32(factor) * pos_freqs)
    keep = F32(1.0) - ramp
    inv = interpolation * (F32(1.0) - keep) + extrapolation * keep
    return inv.astype(F32), attention


def dynamic(cfg, seq_len):
    base, dim = cfg["rope_theta"], cfg["head_dim"]
    maxpos = cfg["max_position_embeddings"]
    factor = cfg["rope_scaling"]["factor"]
    seq_len = max(seq_len, maxpos)
    base = base * ((factor * seq_len / maxpos) - (factor - 1)) ** (dim / (dim - 2))
    return default_inv_freq(base, dim), 1.0


def config(head_dim, theta, maxpos, rope_scaling):
    heads = 4
    return {
        "model_type": "qwen2", "hidden_size": heads * head_dim, "head_dim": head_dim,
        "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": heads,
        "num_key_value_heads": 2, "vocab_size": 32, "rope_theta": theta,
        "max_position_embeddings": maxpos, "rope_scaling": rope_scaling,
    }


CASES = [
    # Qwen2.5-7B-Instruct's README recipe (config.json of Qwen/Qwen2.5-7B-Instruct: head_dim 128,
    # rope_theta 1e6, max_position_embeddings 32768) with rope_scaling added as the README says:
    # transformers then uses factor = 32768 / 32768 = 1, i.e. no change.
    ("qwen2.5-readme-yarn", config(128, 1000000.0, 32768,
        {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}), None),
    # The same with max_position_embeddings raised to 131072: factor 4 from the ratio.
    ("qwen2.5-yarn-131072", config(128, 1000000.0, 131072,
        {"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 32768}), None),
    # No original length: factor from the field, correction range over max_position_embeddings.
    ("yarn-factor-only", config(64, 10000.0, 4096, {"rope_type": "yarn", "factor": 8.0}), None),
    # DeepSeek-style mscale ratio, non-default betas.
    ("yarn-mscale", config(64, 10000.0, 163840,
        {"rope_type": "yarn", "factor": 40.0, "original_max_position_embeddings": 4096,
         "beta_fast": 16.0, "beta_slow": 2.0, "mscale": 0.707, "mscale_all_dim": 1.0}), None),
    # Explicit attention factor and no truncation of the correction range.
    ("yarn-untruncated", config(32, 500000.0, 8192,
        {"rope_type": "yarn", "factor": 2.0, "attention_factor": 1.25, "truncate": False}), None),
    # Dynamic NTK: at and below max_position_embeddings nothing changes; beyond it the base grows.
    ("dynamic-at-max", config(64, 10000.0, 2048, {"rope_type": "dynamic", "factor": 2.0}), 2048),
    ("dynamic-3000", config(64, 10000.0, 2048, {"rope_type": "dynamic", "factor": 2.0}), 3000),
    ("dynamic-8192", config(128, 1000000.0, 4096, {"type": "dynamic", "factor": 4.0}), 8192),
]


def main():
    out = []
    for name, cfg, seq_len in CASES:
        kind = cfg["rope_scaling"].get("rope_type", cfg["rope_scaling"].get("type"))
        inv, attention = yarn(cfg) if kind == "yarn" else dynamic(cfg, seq_len)
        out.append({
            "name": name,
            "config": cfg,
            "seq_len": seq_len if seq_len is not None else cfg["max_position_embeddings"],
            "inv_freq": [float(x) for x in inv],
            "attention_scaling": attention,
        })
    print(json.dumps({
        "provenance": "scripts/oracle/rope_scaling.py (numpy float32, formulas of transformers'"
                      " modeling_rope_utils _compute_yarn_parameters and"
                      " _compute_dynamic_ntk_parameters)",
        "cases": out,
    }, indent=1))


if __name__ == "__main__":
    main()
