#!/usr/bin/env python3
"""Independent CLIPModel forward in numpy (float64) that the C++ CLIP tests compare against.

Written from transformers' modeling_clip.py (CLIPVisionEmbeddings, CLIPTextEmbeddings,
CLIPAttention eager path, CLIPMLP, CLIPEncoderLayer, CLIPTextTransformer pooling,
CLIPVisionTransformer, CLIPModel.get_*_features) and the safetensors format, not from the C++:
  clip_reference.py DIR PIXELS N IDS_JSON
    DIR: config.json + model.safetensors (F32); PIXELS: N x C x S x S little-endian float32;
    IDS_JSON: [[token ids], ...] unpadded. Prints {"images": [...], "texts": [...]}: the
    L2-normalised image_embeds and text_embeds.
"""
import json
import struct
import sys

import numpy as np


def load_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = {"F32": "<f4", "I64": "<i8"}[info["dtype"]]
        out[name] = np.frombuffer(data[begin:end], dtype=dtype).reshape(info["shape"]).astype(np.float64)
    return out


ACT = {
    "quick_gelu": lambda x: x / (1.0 + np.exp(-1.702 * x)),
    "relu": lambda x: np.maximum(x, 0.0),
    "gelu_new": lambda x: 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3))),
}


def layer_norm(w, prefix, x, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w[prefix + ".weight"] + w[prefix + ".bias"]


def linear(w, prefix, x, bias=True):
    y = x @ w[prefix + ".weight"].T
    return y + w[prefix + ".bias"] if bias else y


def encoder(w, prefix, cfg, x, additive_mask):
    batch, t, d = x.shape
    heads = cfg["num_attention_heads"]
    hd = d // heads
    eps = cfg.get("layer_norm_eps", 1e-5)
    act = ACT[cfg.get("hidden_act", "quick_gelu")]
    for i in range(cfg["num_hidden_layers"]):
        p = "%sencoder.layers.%d." % (prefix, i)
        h = layer_norm(w, p + "layer_norm1", x, eps)
        split = lambda y: y.reshape(batch, t, heads, hd).transpose(0, 2, 1, 3)
        q = split(linear(w, p + "self_attn.q_proj", h))
        k = split(linear(w, p + "self_attn.k_proj", h))
        v = split(linear(w, p + "self_attn.v_proj", h))
        s = q @ k.transpose(0, 1, 3, 2) * hd ** -0.5 + additive_mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(batch, t, d)
        x = x + linear(w, p + "self_attn.out_proj", a)
        h = layer_norm(w, p + "layer_norm2", x, eps)
        x = x + linear(w, p + "mlp.fc2", act(linear(w, p + "mlp.fc1", h)))
    return x


def image_embeds(w, cfg, pixels):
    vc = cfg["vision_config"]
    n, c, s, _ = pixels.shape
    p = vc["patch_size"]
    g = s // p  # a stride-p convolution drops the remainder
    x = pixels[:, :, :g * p, :g * p].reshape(n, c, g, p, g, p).transpose(0, 2, 4, 1, 3, 5).reshape(n, g * g, c * p * p)
    patches = x @ w["vision_model.embeddings.patch_embedding.weight"].reshape(-1, c * p * p).T
    cls = np.broadcast_to(w["vision_model.embeddings.class_embedding"], (n, 1, patches.shape[2]))
    x = np.concatenate([cls, patches], 1) + w["vision_model.embeddings.position_embedding.weight"][None]
    eps = vc.get("layer_norm_eps", 1e-5)
    x = layer_norm(w, "vision_model.pre_layrnorm", x, eps)
    x = encoder(w, "vision_model.", vc, x, 0.0)
    pooled = layer_norm(w, "vision_model.post_layernorm", x[:, 0], eps)
    return linear(w, "visual_projection", pooled, bias=False)


def text_embeds(w, cfg, texts):
    tc = cfg["text_config"]
    t = max(len(ids) for ids in texts)
    ids = np.full((len(texts), t), tc["pad_token_id"], dtype=np.int64)
    mask = np.zeros((len(texts), t))
    for i, row in enumerate(texts):
        ids[i, :len(row)] = row
        mask[i, :len(row)] = 1
    x = w["text_model.embeddings.token_embedding.weight"][ids] + w["text_model.embeddings.position_embedding.weight"][:t][None]
    causal = np.triu(np.full((t, t), -1e30), 1)[None, None]
    padding = ((1.0 - mask) * -1e30)[:, None, None, :]
    x = encoder(w, "text_model.", tc, x, causal + padding)
    x = layer_norm(w, "text_model.final_layer_norm", x, tc.get("layer_norm_eps", 1e-5))
    if tc["eos_token_id"] == 2:  # configs before transformers PR #24773
        at = ids.argmax(-1)
    else:
        at = (ids == tc["eos_token_id"]).astype(np.int64).argmax(-1)
    return linear(w, "text_projection", x[np.arange(len(texts)), at], bias=False)


def normalised(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).tolist()


def main():
    folder, pixel_path, n, ids_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    cfg = json.load(open(folder + "/config.json"))
    w = load_safetensors(folder + "/model.safetensors")
    vc = cfg["vision_config"]
    s = vc["image_size"]
    pixels = np.fromfile(pixel_path, dtype="<f4").astype(np.float64).reshape(n, vc.get("num_channels", 3), s, s)
    texts = json.load(open(ids_path))
    json.dump({"images": normalised(image_embeds(w, cfg, pixels)), "texts": normalised(text_embeds(w, cfg, texts))},
              sys.stdout)


if __name__ == "__main__":
    main()
