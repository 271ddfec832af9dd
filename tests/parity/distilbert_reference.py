#!/usr/bin/env python3
"""Independent DistilBertForQuestionAnswering forward in numpy (float64) that the C++ parity test
compares against.

Written from the DistilBERT paper (Sanh et al. 2019: BERT's post-LN Transformer encoder without
token types and pooler) and transformers' modeling_distilbert.py (Embeddings: word + position
embeddings, LayerNorm eps 1e-12; MultiHeadSelfAttention: q scaled by 1/sqrt(dim/n_heads), keys with
attention_mask 0 set to the dtype's minimum before the softmax; TransformerBlock:
sa_layer_norm(attention + x), output_layer_norm(ffn + sa_output); FFN lin2(activation(lin1));
qa_outputs = Linear(dim, 2) split into start and end logits) and the safetensors format, not from
the C++:
  distilbert_reference.py DIR INPUTS_JSON
    DIR: config.json + model.safetensors (F32, F16, BF16 or F64);
    INPUTS_JSON: [{"input_ids": [[...], ...], "attention_mask": [[...], ...]}, ...], each batch
    padded to one length. Prints [{"start_logits": [[...]], "end_logits": [[...]]}, ...].
The checkpoint must hold exactly the tensors of transformers' DistilBertForQuestionAnswering
state_dict with their shapes (a missing, unknown or mis-shaped tensor is an error, exit 1), every
byte of the data section must belong to one tensor, and every tensor must be read by the forward.
"""
import json
import math
import struct
import sys

import numpy as np

DTYPES = {"F64": ("<f8", 8), "F32": ("<f4", 4), "F16": ("<f2", 2), "BF16": ("<u2", 2)}


def fail(msg):
    sys.stderr.write("distilbert_reference.py: %s\n" % msg)
    sys.exit(1)


def load_safetensors(path):
    raw = open(path, "rb").read()
    if len(raw) < 8:
        fail("%s: shorter than the 8-byte header length" % path)
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            fail("%s: dtype %s is not a float dtype" % (name, info["dtype"]))
        dtype, size = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"], dtype=np.int64))
        if end - begin != count * size:
            fail("%s: %d bytes for shape %s of %s" % (name, end - begin, info["shape"], info["dtype"]))
        a = np.frombuffer(data[begin:end], dtype=dtype)
        if info["dtype"] == "BF16":  # the upper 16 bits of a float32
            a = (a.astype(np.uint32) << 16).view(np.float32)
        out[name] = a.astype(np.float64).reshape(info["shape"])
        spans.append((begin, end, name))
    at = 0
    for begin, end, name in sorted(spans):
        if begin != at:
            fail("%s starts at byte %d of the data, the tensor before ends at %d" % (name, begin, at))
        at = end
    if at != len(data):
        fail("the data section holds %d bytes, the tensors cover %d" % (len(data), at))
    return out


class Config:
    # transformers' DistilBertConfig defaults, with its attribute_map aliases.
    def __init__(self, j):
        alias = {"hidden_size": "dim", "num_attention_heads": "n_heads", "num_hidden_layers": "n_layers"}
        j = {alias.get(k, k): v for k, v in j.items()}
        if j.get("model_type", "distilbert") != "distilbert":
            fail("model_type %r is not distilbert" % j["model_type"])
        self.vocab_size = j.get("vocab_size", 30522)
        self.max_position_embeddings = j.get("max_position_embeddings", 512)
        self.n_layers = j.get("n_layers", 6)
        self.n_heads = j.get("n_heads", 12)
        self.dim = j.get("dim", 768)
        self.hidden_dim = j.get("hidden_dim", 4 * 768)
        self.activation = j.get("activation", "gelu")


def expected_shapes(c):
    """Name → shape of DistilBertForQuestionAnswering.state_dict() (Linear weights are [out, in])."""
    d, h = c.dim, c.hidden_dim
    e = {
        "distilbert.embeddings.word_embeddings.weight": [c.vocab_size, d],
        "distilbert.embeddings.position_embeddings.weight": [c.max_position_embeddings, d],
        "distilbert.embeddings.LayerNorm.weight": [d],
        "distilbert.embeddings.LayerNorm.bias": [d],
        "qa_outputs.weight": [2, d],
        "qa_outputs.bias": [2],
    }
    for i in range(c.n_layers):
        p = "distilbert.transformer.layer.%d." % i
        for lin in ("q_lin", "k_lin", "v_lin", "out_lin"):
            e[p + "attention.%s.weight" % lin] = [d, d]
            e[p + "attention.%s.bias" % lin] = [d]
        for ln in ("sa_layer_norm", "output_layer_norm"):
            e[p + ln + ".weight"] = [d]
            e[p + ln + ".bias"] = [d]
        e[p + "ffn.lin1.weight"] = [h, d]
        e[p + "ffn.lin1.bias"] = [h]
        e[p + "ffn.lin2.weight"] = [d, h]
        e[p + "ffn.lin2.bias"] = [d]
    return e


class Weights:
    """The checkpoint's tensors, checked against the HF table; records which ones the forward read."""

    def __init__(self, tensors, cfg):
        want = expected_shapes(cfg)
        problems = ["missing tensor " + n for n in sorted(set(want) - set(tensors))]
        problems += ["unknown tensor " + n for n in sorted(set(tensors) - set(want))]
        problems += ["%s: shape %s, the config needs %s" % (n, list(tensors[n].shape), want[n])
                     for n in sorted(set(want) & set(tensors)) if list(tensors[n].shape) != want[n]]
        if problems:
            fail("checkpoint is not DistilBertForQuestionAnswering in Hugging Face layout:\n  " + "\n  ".join(problems))
        self.tensors = tensors
        self.read = set()

    def __getitem__(self, name):
        self.read.add(name)
        return self.tensors[name]


GELU_ERF = np.vectorize(lambda v: 0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


ACT = {
    "gelu": GELU_ERF,  # nn.GELU(): the exact erf form
    "gelu_new": gelu_tanh,
    "gelu_pytorch_tanh": gelu_tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "silu": lambda x: x / (1.0 + np.exp(-x)),
    "swish": lambda x: x / (1.0 + np.exp(-x)),
}

LAYER_NORM_EPS = 1e-12  # nn.LayerNorm(config.dim, eps=1e-12) everywhere in DistilBERT


def layer_norm(w, prefix, x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * w[prefix + ".weight"] + w[prefix + ".bias"]


def linear(w, prefix, x):
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def forward(w, c, ids, mask):
    batch, t = ids.shape
    if t > c.max_position_embeddings:
        fail("sequence of %d tokens, the position table holds %d" % (t, c.max_position_embeddings))
    if ids.min() < 0 or ids.max() >= c.vocab_size:
        fail("token id outside [0, %d)" % c.vocab_size)
    # Positions 0..T-1 from the stored table, sinusoidal_pos_embds or not: from_pretrained loads
    # the file's table over the one it creates.
    x = w["distilbert.embeddings.word_embeddings.weight"][ids] + \
        w["distilbert.embeddings.position_embeddings.weight"][np.arange(t)][None]
    x = layer_norm(w, "distilbert.embeddings.LayerNorm", x)
    heads = c.n_heads
    hd = c.dim // heads
    act = ACT[c.activation]
    hidden = (mask == 0)[:, None, None, :]  # [B,1,1,T]: keys the queries may not see
    split = lambda y: y.reshape(batch, t, heads, hd).transpose(0, 2, 1, 3)
    for i in range(c.n_layers):
        p = "distilbert.transformer.layer.%d." % i
        q = split(linear(w, p + "attention.q_lin", x)) / math.sqrt(hd)
        k = split(linear(w, p + "attention.k_lin", x))
        v = split(linear(w, p + "attention.v_lin", x))
        s = np.where(hidden, np.finfo(np.float64).min, q @ k.transpose(0, 1, 3, 2))
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(batch, t, c.dim)
        x = layer_norm(w, p + "sa_layer_norm", linear(w, p + "attention.out_lin", a) + x)
        f = linear(w, p + "ffn.lin2", act(linear(w, p + "ffn.lin1", x)))
        x = layer_norm(w, p + "output_layer_norm", f + x)
    logits = linear(w, "qa_outputs", x)  # [B,T,2]
    return logits[..., 0], logits[..., 1]


def main():
    if len(sys.argv) != 3:
        fail("usage: distilbert_reference.py DIR INPUTS_JSON")
    folder, inputs_path = sys.argv[1], sys.argv[2]
    cfg = Config(json.load(open(folder + "/config.json")))
    if cfg.activation not in ACT:
        fail("activation %r is not one of %s" % (cfg.activation, sorted(ACT)))
    w = Weights(load_safetensors(folder + "/model.safetensors"), cfg)
    out = []
    for b in json.load(open(inputs_path)):
        ids = np.array(b["input_ids"], dtype=np.int64)
        mask = np.array(b["attention_mask"], dtype=np.int64)
        if ids.ndim != 2 or ids.shape != mask.shape:
            fail("input_ids and attention_mask must be equal [B,T] arrays")
        start, end = forward(w, cfg, ids, mask)
        out.append({"start_logits": start.tolist(), "end_logits": end.tolist()})
    unread = sorted(set(w.tensors) - w.read)
    if unread:
        fail("tensors the forward never read: " + ", ".join(unread))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
