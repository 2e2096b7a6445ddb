#!/usr/bin/env python3
"""Independent numerical oracle for dart4j's decoder: tiny Qwen2 and Llama fixtures with golden logits.

The model is written here by hand in plain torch (no transformers, no safetensors package), following
the Hugging Face Qwen2/Llama modelling code line by line, so that a Java implementation checked against
these logits is checked against an implementation that shares none of its code.

    /usr/bin/python3 scripts/oracle/make_golden.py [--out dart-core/src/test/resources/fixtures]

Writes <out>/tiny-qwen2/ and <out>/tiny-llama/, each an HF model directory (config.json,
model.safetensors) plus golden.json with the input ids and float32 logits of two sequences run alone.
"""
import argparse
import json
import math
import os
import struct
import sys

import torch

SEQ_LENGTHS = (12, 7)

QWEN2 = {
    "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
    "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 101,
    "max_position_embeddings": 128, "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "rope_scaling": None,
    "tie_word_embeddings": False, "hidden_act": "silu", "torch_dtype": "float32",
    "use_sliding_window": False, "sliding_window": 128, "max_window_layers": 2,
    "attention_dropout": 0.0, "initializer_range": 0.02, "bos_token_id": 1, "eos_token_id": 2,
    "use_cache": True,
}

LLAMA = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama",
    "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "vocab_size": 101,
    "max_position_embeddings": 128, "rms_norm_eps": 1e-5, "rope_theta": 500000.0,
    # original_max_position_embeddings 64 (not 32) puts rotary pair 1 (wavelength 32.4) in the
    # smoothed band, so all three branches of the llama3 rule are exercised; see check_llama3_bands.
    "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                     "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
    "tie_word_embeddings": True, "attention_bias": False, "mlp_bias": False,
    "hidden_act": "silu", "torch_dtype": "bfloat16", "attention_dropout": 0.0,
    "initializer_range": 0.02, "bos_token_id": 1, "eos_token_id": 2, "use_cache": True,
}


def head_dim(cfg):
    return cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]


def init_weights(cfg, seed, attention_bias):
    """HF names -> fp32 tensors. std 0.2 (not HF's 0.02) so logits are far from 0 and errors show."""
    g = torch.Generator().manual_seed(seed)
    d, f, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    hd, h, hkv = head_dim(cfg), cfg["num_attention_heads"], cfg["num_key_value_heads"]

    def normal(*shape):
        return torch.randn(*shape, generator=g) * 0.2

    def norm():
        return 1.0 + 0.1 * torch.randn(d, generator=g)

    w = {"model.embed_tokens.weight": normal(v, d)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "self_attn.q_proj.weight"] = normal(h * hd, d)
        w[p + "self_attn.k_proj.weight"] = normal(hkv * hd, d)
        w[p + "self_attn.v_proj.weight"] = normal(hkv * hd, d)
        if attention_bias:
            w[p + "self_attn.q_proj.bias"] = normal(h * hd)
            w[p + "self_attn.k_proj.bias"] = normal(hkv * hd)
            w[p + "self_attn.v_proj.bias"] = normal(hkv * hd)
        w[p + "self_attn.o_proj.weight"] = normal(d, h * hd)
        w[p + "mlp.gate_proj.weight"] = normal(f, d)
        w[p + "mlp.up_proj.weight"] = normal(f, d)
        w[p + "mlp.down_proj.weight"] = normal(d, f)
        w[p + "input_layernorm.weight"] = norm()
        w[p + "post_attention_layernorm.weight"] = norm()
    w["model.norm.weight"] = norm()
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(v, d)
    return w


# ---- the model, after transformers' modeling_qwen2.py / modeling_llama.py (eager attention) ----

def rms_norm(x, weight, eps):
    x = x.float()
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rope_inv_freq(cfg):
    hd = head_dim(cfg)
    inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    rs = cfg.get("rope_scaling")
    if not rs:
        return inv_freq
    assert rs["rope_type"] == "llama3"
    # _compute_llama3_parameters in transformers/modeling_rope_utils.py
    factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
    old_context_len = rs["original_max_position_embeddings"]
    low_freq_wavelen = old_context_len / low
    high_freq_wavelen = old_context_len / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (old_context_len / wavelen - low) / (high - low)
    smoothed = (1 - smooth_factor) * inv_freq_llama / factor + smooth_factor * inv_freq_llama
    is_medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def linear(x, w, name):
    y = x @ w[name + ".weight"].T
    return y + w[name + ".bias"] if name + ".bias" in w else y


def forward(cfg, w, ids):
    """Logits [T, V] of one unpadded sequence, all in fp32 (or fp64 if the weights are fp64)."""
    t = len(ids)
    h, hkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    eps, dtype = cfg["rms_norm_eps"], w["model.norm.weight"].dtype
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]                      # [T, D]
    freqs = torch.arange(t, dtype=torch.float32)[:, None] * rope_inv_freq(cfg)[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)                                   # [T, hd]
    cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)
    causal = torch.full((t, t), float("-inf"), dtype=dtype).triu(1)           # [T, T]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = linear(a, w, p + "self_attn.q_proj").view(t, h, hd).transpose(0, 1)    # [H, T, hd]
        k = linear(a, w, p + "self_attn.k_proj").view(t, hkv, hd).transpose(0, 1)  # [Hkv, T, hd]
        v = linear(a, w, p + "self_attn.v_proj").view(t, hkv, hd).transpose(0, 1)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // hkv, dim=0)  # repeat_kv: query head j reads kv head j // (H/Hkv)
        v = v.repeat_interleave(h // hkv, dim=0)                                  # [H, T, hd]
        scores = (q @ k.transpose(-1, -2)) * hd ** -0.5 + causal                  # [H, T, T]
        o = (scores.softmax(dim=-1) @ v).transpose(0, 1).reshape(t, h * hd)       # [T, H*hd]
        x = x + linear(o, w, p + "self_attn.o_proj")
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(linear(m, w, p + "mlp.gate_proj"))
        x = x + linear(gate * linear(m, w, p + "mlp.up_proj"), w, p + "mlp.down_proj")
    x = rms_norm(x, w["model.norm.weight"], eps)
    lm_head = w["lm_head.weight"] if "lm_head.weight" in w else w["model.embed_tokens.weight"]
    return x @ lm_head.T                                                        # [T, V]


# ---- checks of the oracle itself ----

def check_causal(cfg, w, ids):
    full, prefix = forward(cfg, w, ids), forward(cfg, w, ids[:5])
    assert torch.allclose(full[:5], prefix, atol=1e-5), "later tokens leak into earlier positions"


def check_llama3_bands(cfg):
    """Every band of the llama3 rule (kept, smoothed, divided by factor) holds at least one pair."""
    rs = cfg["rope_scaling"]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, head_dim(cfg), 2).float() / head_dim(cfg)))
    wavelen = 2 * math.pi / inv
    old = rs["original_max_position_embeddings"]
    high, low = wavelen < old / rs["high_freq_factor"], wavelen > old / rs["low_freq_factor"]
    assert high.any() and low.any() and (~high & ~low).any(), wavelen


# ---- safetensors, written by hand: u64 LE header length, JSON header (space-padded), LE data ----

def write_safetensors(path, tensors, dtype):
    assert sys.byteorder == "little"
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        if dtype == "BF16":
            data = t.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
        else:
            data = t.to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def sig7(x):
    return float(f"{x:.7g}")


def make(out_dir, name, cfg, seed, attention_bias, store_dtype):
    w = init_weights(cfg, seed, attention_bias)
    if store_dtype == "BF16":  # the oracle must see exactly what the Java side decodes from the file
        w = {k: v.to(torch.bfloat16).to(torch.float32) for k, v in w.items()}
    if cfg.get("rope_scaling"):
        check_llama3_bands(cfg)
    g = torch.Generator().manual_seed(seed + 1)
    inputs = [torch.randint(0, cfg["vocab_size"], (n,), generator=g).tolist() for n in SEQ_LENGTHS]
    check_causal(cfg, w, inputs[0])
    with torch.no_grad():
        logits = [forward(cfg, w, ids) for ids in inputs]
        w64 = {k: v.double() for k, v in w.items()}
        diff64 = max((forward(cfg, w64, ids) - lg.double()).abs().max().item()
                     for ids, lg in zip(inputs, logits))
    d = os.path.join(out_dir, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(d, "model.safetensors"), w, store_dtype)
    golden = {
        "note": (f"Logits [seq][position][vocab] of {name} from scripts/oracle/make_golden.py "
                 f"(hand-written HF {cfg['model_type']} semantics, fp32, torch {torch.__version__}); "
                 "each sequence run alone, no padding, positions from 0; values rounded to 7 "
                 f"significant digits; weights stored as {store_dtype}"
                 + (" and the oracle used the bf16-rounded weights upcast to fp32" if store_dtype == "BF16" else "")
                 + f". The same forward in fp64 differs by at most {diff64:.2e}."),
        "input_ids": inputs,
        "fp64_max_abs_diff": float(f"{diff64:.3g}"),
        "rope_inv_freq": [sig7(x) for x in rope_inv_freq(cfg).tolist()],
        "logits": [[[sig7(x) for x in row] for row in lg.tolist()] for lg in logits],
    }
    with open(os.path.join(d, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
        f.write("\n")
    spread = torch.cat(logits).std().item()
    print(f"{name}: {len(w)} tensors, logits std {spread:.3f}, fp64 diff {diff64:.2e} -> {d}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "dart-core", "src", "test", "resources", "fixtures")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.normpath(default_out))
    args = ap.parse_args()
    torch.set_num_threads(1)  # reproducible reductions
    make(args.out, "tiny-qwen2", QWEN2, seed=20240601, attention_bias=True, store_dtype="F32")
    make(args.out, "tiny-llama", LLAMA, seed=20240602, attention_bias=False, store_dtype="BF16")


if __name__ == "__main__":
    main()
