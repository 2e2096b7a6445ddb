#!/usr/bin/env python3
"""Independent numerical oracle for dart4j's decoder: tiny Qwen2 and Llama fixtures with golden logits.

The model is written here by hand in plain torch (no transformers, no safetensors package), following
the Hugging Face Qwen2/Llama modelling code line by line, so that a Java implementation checked against
these logits is checked against an implementation that shares none of its code.

    /usr/bin/python3 scripts/oracle/make_golden.py [--out dart-core/src/test/resources/fixtures]

Writes <out>/tiny-qwen2/ and <out>/tiny-llama/, each an HF model directory (config.json,
model.safetensors) plus golden.json with the input ids and float32 logits of two sequences run alone.

Also writes <out>/tiny-qwen2-dart/: non-zero DART adapters for tiny-qwen2 (adapters/, a dart4j
checkpoint: dart.json plus one PEFT directory per adapter) and golden.json with the routed log-probs
of two role-annotated sequences, computed with a hand-written LoRA forward (h' = W h + s B A h with
s = alpha / r, or alpha / sqrt(r) under use_rslora) and the per-token routing rule of dart4j's design:
the adapter at input position p is the one of the role of token p + 1.
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


class Adapter:
    """One LoRA adapter as PEFT defines it: delta(x) = scale * (x A^T) B^T, A [r, in], B [out, r]."""

    def __init__(self, name, r, alpha, use_rslora, targets):
        self.name, self.r, self.alpha, self.use_rslora, self.targets = name, r, alpha, use_rslora, targets
        self.weights = {}  # HF projection name (model.layers.0.self_attn.q_proj) -> (A, B)

    @property
    def scale(self):
        # peft/tuners/lora/layer.py update_layer: lora_alpha / sqrt(r) if use_rslora else lora_alpha / r
        return self.alpha / math.sqrt(self.r) if self.use_rslora else self.alpha / self.r


def lora_linear(x, w, name, adapters, adapter_at):
    """linear(x) plus, at each position p, the LoRA delta of adapter adapter_at[p] (none if -1 or if
    that adapter does not target this module). x: [T, in]."""
    y = linear(x, w, name)
    module = name.rsplit(".", 1)[1]
    for k, ad in enumerate(adapters):
        if module not in ad.targets:
            continue
        a, b = ad.weights[name]
        on = (adapter_at == k).to(x.dtype)[:, None]                              # [T, 1]
        y = y + on * (ad.scale * ((x @ a.T) @ b.T))
    return y


def forward(cfg, w, ids, lora=None):
    """Logits [T, V] of one unpadded sequence, all in fp32 (or fp64 if the weights are fp64).

    lora: optional (adapters, adapter_at): a list of Adapter and, per input position, the index of
    the adapter applied there (-1: none), see lora_linear."""
    t = len(ids)
    h, hkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    eps, dtype = cfg["rms_norm_eps"], w["model.norm.weight"].dtype
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]                      # [T, D]
    freqs = torch.arange(t, dtype=torch.float32)[:, None] * rope_inv_freq(cfg)[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)                                   # [T, hd]
    cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)
    causal = torch.full((t, t), float("-inf"), dtype=dtype).triu(1)           # [T, T]

    def proj(inp, name):
        return linear(inp, w, name) if lora is None else lora_linear(inp, w, name, *lora)

    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = proj(a, p + "self_attn.q_proj").view(t, h, hd).transpose(0, 1)    # [H, T, hd]
        k = proj(a, p + "self_attn.k_proj").view(t, hkv, hd).transpose(0, 1)  # [Hkv, T, hd]
        v = proj(a, p + "self_attn.v_proj").view(t, hkv, hd).transpose(0, 1)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // hkv, dim=0)  # repeat_kv: query head j reads kv head j // (H/Hkv)
        v = v.repeat_interleave(h // hkv, dim=0)                                  # [H, T, hd]
        scores = (q @ k.transpose(-1, -2)) * hd ** -0.5 + causal                  # [H, T, T]
        o = (scores.softmax(dim=-1) @ v).transpose(0, 1).reshape(t, h * hd)       # [T, H*hd]
        x = x + proj(o, p + "self_attn.o_proj")
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(proj(m, p + "mlp.gate_proj"))
        x = x + proj(gate * proj(m, p + "mlp.up_proj"), p + "mlp.down_proj")
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
    return w


# ---- DART adapters on tiny-qwen2: PEFT directories, dart.json and routed log-probs ----

ALL_LINEAR = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
ROLE_CODES = {"PROMPT": 0, "REASONING": 1, "TOOL": 2, "OBSERVATION": 3}
# Different ranks, alphas and targets, one rsLoRA, so that each of alpha / r, alpha / sqrt(r) and
# alpha gives a different scale for each adapter (reasoning 1.5 vs 3 vs 6; tool 2.83 vs 2 vs 4).
DART_ADAPTERS = (
    ("reasoning", 4, 6, False, ALL_LINEAR),
    ("tool", 2, 4, True, ["q_proj", "v_proj", "o_proj", "up_proj", "down_proj"]),
)
# Roles of each token: P prompt, R reasoning, T tool, O observation. Sequence 0 has two tool spans and
# an observation; sequence 1 is shorter (the Java test batches both: left padding) and ends in a tool
# span, so positions before, inside and right after a span are all covered.
ROLE_STRINGS = ("PPPPRRRTTTTOOOORRRTTRR", "PPPRRTTTR")
LETTER = {"P": "PROMPT", "R": "REASONING", "T": "TOOL", "O": "OBSERVATION"}
# dart4j's role -> adapter maps (Method.roleMap): DART routes TOOL to the tool adapter and every other
# role to the reasoning adapter; the single-adapter evaluations replace the other one by the backbone.
ROLE_MAPS = {
    "DART": {"PROMPT": 0, "REASONING": 0, "TOOL": 1, "OBSERVATION": 0},
    "DART_REASONING_ONLY": {"PROMPT": 0, "REASONING": 0, "TOOL": -1, "OBSERVATION": 0},
    "DART_TOOL_ONLY": {"PROMPT": -1, "REASONING": -1, "TOOL": 1, "OBSERVATION": -1},
    "NONE": {"PROMPT": -1, "REASONING": -1, "TOOL": -1, "OBSERVATION": -1},
}


def adapter_at(roles, role_map):
    """Adapter index per input position: the role map applied to the role of the NEXT token (the
    hidden state at p predicts token p + 1); the last position, which predicts nothing, gets the
    reasoning role's adapter."""
    nxt = roles[1:] + ["REASONING"]
    return torch.tensor([role_map[r] for r in nxt])


def routed_log_probs(cfg, w, adapters, ids, roles, role_map):
    """log p(token p + 1 | tokens <= p) for p = 0 .. T-2, under the routed LoRA forward."""
    logits = forward(cfg, w, ids, lora=(adapters, adapter_at(roles, role_map)))
    lp = torch.log_softmax(logits[:-1].double(), dim=-1)
    return lp.gather(1, torch.tensor(ids[1:])[:, None])[:, 0]


def peft_config(ad, base_model):
    """adapter_config.json as PEFT (0.10+) writes it for a LoRA adapter (lora_alpha an int)."""
    return {
        "alpha_pattern": {}, "auto_mapping": None, "base_model_name_or_path": base_model,
        "bias": "none", "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": True,
        "layers_pattern": None, "layers_to_transform": None, "lora_alpha": ad.alpha,
        "lora_dropout": 0.0, "modules_to_save": None, "peft_type": "LORA", "r": ad.r,
        "rank_pattern": {}, "revision": None, "target_modules": list(ad.targets),
        "task_type": "CAUSAL_LM", "use_dora": False, "use_rslora": ad.use_rslora,
    }


def check_sensitivity(cfg, w, adapters, seqs, want):
    """The fixture must tell a wrong implementation apart: a wrong scale rule, a dropped target
    module, wrong or off-by-one routing, or adapters left off each move some log-prob by far more
    than the Java test's tolerance (1e-4). Returns the smallest such change and its label."""
    def max_diff(ads, lp_of=None, role_map=ROLE_MAPS["DART"]):
        lp_of = lp_of or (lambda ids, roles: routed_log_probs(cfg, w, ads, ids, roles, role_map))
        return max((lp_of(ids, roles) - lp).abs().max().item() for (ids, roles), lp in zip(seqs, want))

    def variant(k, **change):
        out = []
        for j, ad in enumerate(adapters):
            c = Adapter(ad.name, ad.r, ad.alpha, ad.use_rslora, ad.targets)
            c.weights = ad.weights
            for key, value in (change.items() if j == k else ()):
                setattr(c, key, value)
            out.append(c)
        return out

    checks = {}
    for k, ad in enumerate(adapters):
        for label, s in {"alpha": ad.alpha, "alpha/r": ad.alpha / ad.r,
                         "alpha/sqrt(r)": ad.alpha / math.sqrt(ad.r)}.items():
            if abs(s - ad.scale) > 1e-9:  # the adapter with scale s instead of its own
                checks[f"{ad.name} scale {label}"] = max_diff(variant(k, alpha=s, r=1, use_rslora=False))
        for t in ad.targets:
            checks[f"{ad.name} without {t}"] = max_diff(variant(k, targets=[x for x in ad.targets if x != t]))
    checks["no adapters"] = max_diff(adapters, role_map=ROLE_MAPS["NONE"])
    checks["reasoning adapter everywhere"] = max_diff(adapters, role_map={r: 0 for r in ROLE_CODES})
    checks["adapters swapped"] = max_diff(adapters, role_map={r: 1 - i for r, i in ROLE_MAPS["DART"].items()})
    checks["adapter of token p, not p + 1"] = max_diff(
        adapters, lp_of=lambda ids, roles: shifted_log_probs(cfg, w, adapters, ids, roles))
    for label, d in checks.items():
        assert d > 1e-3, f"the fixture cannot detect '{label}' (max |dlogp| {d:.2e})"
    weakest = min(checks, key=checks.get)
    return checks[weakest], weakest


def shifted_log_probs(cfg, w, adapters, ids, roles):
    """The off-by-one routing the design rules out: the adapter of token p's own role at p."""
    at = torch.tensor([ROLE_MAPS["DART"][r] for r in roles])
    logits = forward(cfg, w, ids, lora=(adapters, at))
    lp = torch.log_softmax(logits[:-1].double(), dim=-1)
    return lp.gather(1, torch.tensor(ids[1:])[:, None])[:, 0]


def make_dart(out_dir, base_name, cfg, w, seed):
    """Non-zero DART adapters for the base model `base_name` (weights w) and their routed log-probs."""
    g = torch.Generator().manual_seed(seed)
    adapters = [Adapter(*spec) for spec in DART_ADAPTERS]
    d, f = cfg["hidden_size"], cfg["intermediate_size"]
    h, hkv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], head_dim(cfg)
    shapes = {"q_proj": (h * hd, d), "k_proj": (hkv * hd, d), "v_proj": (hkv * hd, d),
              "o_proj": (d, h * hd), "gate_proj": (f, d), "up_proj": (f, d), "down_proj": (d, f)}
    for ad in adapters:
        for i in range(cfg["num_hidden_layers"]):
            for module in ALL_LINEAR:  # fixed order, whatever the targets, so seeds stay put
                out_f, in_f = shapes[module]
                a = torch.randn(ad.r, in_f, generator=g) * 0.2
                b = torch.randn(out_f, ad.r, generator=g) * 0.2  # B != 0: the delta is visible
                if module in ad.targets:
                    part = "self_attn" if module in ("q_proj", "k_proj", "v_proj", "o_proj") else "mlp"
                    ad.weights[f"model.layers.{i}.{part}.{module}"] = (a, b)
    gi = torch.Generator().manual_seed(seed + 1)
    seqs = []
    for letters in ROLE_STRINGS:
        ids = torch.randint(0, cfg["vocab_size"], (len(letters),), generator=gi).tolist()
        seqs.append((ids, [LETTER[c] for c in letters]))
    with torch.no_grad():
        # B = 0 must give the backbone exactly (the adapters' own invariant, checked on the oracle)
        zero = [Adapter(ad.name, ad.r, ad.alpha, ad.use_rslora, ad.targets) for ad in adapters]
        for z, ad in zip(zero, adapters):
            z.weights = {k: (a, torch.zeros_like(b)) for k, (a, b) in ad.weights.items()}
        ids0, roles0 = seqs[0]
        assert torch.equal(routed_log_probs(cfg, w, zero, ids0, roles0, ROLE_MAPS["DART"]),
                           routed_log_probs(cfg, w, adapters, ids0, roles0, ROLE_MAPS["NONE"]))
        log_probs = {m: [routed_log_probs(cfg, w, adapters, ids, roles, rm) for ids, roles in seqs]
                     for m, rm in ROLE_MAPS.items()}
        w64 = {k: v.double() for k, v in w.items()}
        ad64 = []
        for ad in adapters:
            c = Adapter(ad.name, ad.r, ad.alpha, ad.use_rslora, ad.targets)
            c.weights = {k: (a.double(), b.double()) for k, (a, b) in ad.weights.items()}
            ad64.append(c)
        diff64 = max((routed_log_probs(cfg, w64, ad64, ids, roles, ROLE_MAPS["DART"]) - lp).abs().max().item()
                     for (ids, roles), lp in zip(seqs, log_probs["DART"]))
        weakest, label = check_sensitivity(cfg, w, adapters, seqs, log_probs["DART"])
    root = os.path.join(out_dir, base_name + "-dart")
    ckpt = os.path.join(root, "adapters")
    os.makedirs(ckpt, exist_ok=True)
    for ad in adapters:
        sub = os.path.join(ckpt, ad.name)
        os.makedirs(sub, exist_ok=True)
        tensors = {}
        for proj, (a, b) in ad.weights.items():
            tensors[f"base_model.model.{proj}.lora_A.weight"] = a
            tensors[f"base_model.model.{proj}.lora_B.weight"] = b
        write_safetensors(os.path.join(sub, "adapter_model.safetensors"), tensors, "F32")
        with open(os.path.join(sub, "adapter_config.json"), "w") as fh:
            json.dump(peft_config(ad, base_name), fh, indent=2)
            fh.write("\n")
    dart = {
        "format": "dart4j-adapters", "version": 1, "method": "DART", "base_model": base_name,
        "adapters": [ad.name for ad in adapters],
        "spans": [{"open": "<search>", "close": "</search>"}],
        "role_map": {r: ROLE_MAPS["DART"][r] for r in ROLE_CODES}, "isolation": "SHARED",
    }
    with open(os.path.join(ckpt, "dart.json"), "w") as fh:
        json.dump(dart, fh, indent=2)
        fh.write("\n")
    golden = {
        "note": (f"Routed log-probs of the DART adapters in adapters/ on {base_name}, from "
                 "scripts/oracle/make_golden.py (hand-written LoRA forward, fp32, torch "
                 f"{torch.__version__}). log_probs[method][seq][p] = log p(input_ids[seq][p+1] | "
                 "input_ids[seq][..p]) with the adapter at input position p chosen by the method's "
                 "role map from roles[seq][p+1]; rounded to 7 significant digits. The same forward in "
                 f"fp64 differs by at most {diff64:.2e}; the smallest change a wrong implementation "
                 f"makes is {weakest:.2e} ({label})."),
        "base_model": base_name,
        "adapters": [{"name": ad.name, "r": ad.r, "lora_alpha": ad.alpha, "use_rslora": ad.use_rslora,
                      "scale": sig7(ad.scale), "target_modules": list(ad.targets)} for ad in adapters],
        "input_ids": [ids for ids, _ in seqs],
        "roles": [roles for _, roles in seqs],
        "fp64_max_abs_diff": float(f"{diff64:.3g}"),
        "min_wrong_implementation_diff": float(f"{weakest:.3g}"),
        "log_probs": {m: [[sig7(x) for x in lp.tolist()] for lp in lps] for m, lps in log_probs.items()},
    }
    with open(os.path.join(root, "golden.json"), "w") as fh:
        json.dump(golden, fh, indent=1)
        fh.write("\n")
    print(f"{base_name}-dart: {len(adapters)} adapters, fp64 diff {diff64:.2e}, "
          f"weakest detectable error {weakest:.2e} ({label}) -> {root}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "dart-core", "src", "test", "resources", "fixtures")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.normpath(default_out))
    args = ap.parse_args()
    torch.set_num_threads(1)  # reproducible reductions
    qwen2 = make(args.out, "tiny-qwen2", QWEN2, seed=20240601, attention_bias=True, store_dtype="F32")
    make_dart(args.out, "tiny-qwen2", QWEN2, qwen2, seed=20240603)
    make(args.out, "tiny-llama", LLAMA, seed=20240602, attention_bias=False, store_dtype="BF16")


if __name__ == "__main__":
    main()
