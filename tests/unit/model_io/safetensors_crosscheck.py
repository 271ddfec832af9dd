#!/usr/bin/env python3
"""Independent safetensors reader/writer (stdlib only) that the C++ tests compare against.

Written from the format in github.com/huggingface/safetensors README ("Format") and the
serialisation rules of safetensors/src/tensor.rs (`prepare`), not from the C++ code:
  read FILE        -> prints {"metadata", "tensors": {name: {dtype, shape, values|hex}}} as JSON
  write SPEC OUT   -> writes the canonical file for a JSON spec
                      {"metadata": {...} | null, "tensors": [{"name","dtype","shape","hex"}]}
"""
import json
import struct
import sys

SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "F16": 2, "BF16": 2, "I32": 4, "F32": 4, "F64": 8, "I64": 8}
# Declaration order of `enum Dtype` in tensor.rs (increasing alignment); writers sort descending.
RUST_ORDER = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
              "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64",
              "F64", "I64", "U64"]


def decode(dtype, raw):
    n = len(raw) // SIZES[dtype]
    if dtype == "F16":
        return list(struct.unpack("<%de" % n, raw))  # struct's own IEEE half decoder
    if dtype == "BF16":
        return [struct.unpack("<f", b"\0\0" + raw[2 * i:2 * i + 2])[0] for i in range(n)]
    if dtype == "F32":
        return list(struct.unpack("<%df" % n, raw))
    if dtype == "F64":
        return list(struct.unpack("<%dd" % n, raw))
    return None


def read(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    assert n <= 100_000_000 and 8 + n <= len(blob), "bad header length"
    header_text = blob[8:8 + n].decode("utf-8")
    assert header_text.startswith("{"), "header must start with {"
    pairs = json.loads(header_text, object_pairs_hook=lambda kv: kv)
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), "duplicate keys"
    header = dict(pairs)
    meta = dict(header.pop("__metadata__", None) or [])
    data = blob[8 + n:]
    out, spans = {}, []
    for name, info in header.items():
        info = dict(info)
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        numel = 1
        for d in shape:
            numel *= d
        assert end - begin == numel * SIZES[dtype], "size mismatch for " + name
        spans.append((begin, end))
        raw = data[begin:end]
        values = decode(dtype, raw)
        entry = {"dtype": dtype, "shape": shape, "begin": begin}
        if values is not None:
            entry["values"] = [v if v == v and abs(v) != float("inf") else repr(v) for v in values]
        else:
            entry["hex"] = raw.hex()
        out[name] = entry
    pos = 0
    for begin, end in sorted(spans):
        assert begin == pos, "hole or overlap at %d" % begin
        pos = end
    assert pos == len(data), "data section not fully covered"
    print(json.dumps({"metadata": meta, "tensors": out}, sort_keys=True))


def write(spec_path, out_path):
    spec = json.load(open(spec_path))
    tensors = sorted(spec["tensors"], key=lambda t: (-RUST_ORDER.index(t["dtype"]), t["name"].encode()))
    header, offset, chunks = {}, 0, []
    if spec.get("metadata"):
        header["__metadata__"] = dict(sorted(spec["metadata"].items()))
    for t in tensors:
        raw = bytes.fromhex(t["hex"])
        header[t["name"]] = {"dtype": t["dtype"], "shape": t["shape"], "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    # serde_json::to_string: compact separators, UTF-8 kept as is.
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(out_path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        write(sys.argv[2], sys.argv[3])
