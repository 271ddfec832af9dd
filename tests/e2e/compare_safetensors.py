#!/usr/bin/env python3
"""Compares two safetensors files tensor by tensor (names, shapes, max |a - b|).

Usage: compare_safetensors.py A B TOLERANCE  -> exit 0 when every tensor agrees within
TOLERANCE (0 means bit-identical), else 1. Prints the largest difference. Reads the format
directly (8-byte header length, JSON header, raw little-endian data): no torch needed."""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64}


def load(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(data[b:e], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return out


def main():
    a, b, tol = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3])
    if a.keys() != b.keys():
        print("tensor names differ:", sorted(set(a) ^ set(b)))
        return 1
    worst, where = 0.0, ""
    for name in sorted(a):
        if a[name].shape != b[name].shape:
            print("shape differs:", name, a[name].shape, b[name].shape)
            return 1
        d = float(np.max(np.abs(a[name].astype(np.float64) - b[name].astype(np.float64)))) if a[name].size else 0.0
        if d > worst:
            worst, where = d, name
    print(f"{len(a)} tensors, max |a-b| = {worst:.3g} ({where or '-'})")
    return 0 if worst <= tol else 1


if __name__ == "__main__":
    sys.exit(main())
