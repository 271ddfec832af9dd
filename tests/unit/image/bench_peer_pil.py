#!/usr/bin/python3
"""The peer of image_bench: the same per-image work in Python with PIL 9.4 (what img2dataset +
imagehash + HF CLIPImageProcessor do), process CPU time, one core.
Usage: image_bench 300 DIR && /usr/bin/python3 bench_peer_pil.py DIR [images=300]"""
import glob
import hashlib
import io
import os
import sys
import time

import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
BASIS = np.cos(np.pi * np.outer(np.arange(32), 2 * np.arange(32) + 1) / 64)


def phash(im):
    px = np.asarray(im.convert("L").resize((32, 32), Image.LANCZOS)).astype(np.float64)
    low = (BASIS @ px @ BASIS.T)[:8, :8]
    return (low > np.median(low)).flatten()


def clip(im):
    w, h = im.size
    s = min(w, h)
    nl = int(224 * max(w, h) / s)
    im = im.resize((224, nl) if w <= h else (nl, 224), Image.BICUBIC)
    w, h = im.size
    t, l = (h - 224) // 2, (w - 224) // 2
    a = np.asarray(im.crop((l, t, l + 224, t + 224))).astype(np.float64) * (1 / 255)
    return ((a.astype(np.float32) - MEAN) / STD).transpose(2, 0, 1)


def run(files, n, with_clip):
    t0 = time.process_time()
    for i in range(n):
        data = files[i % len(files)]
        hashlib.sha256(data).digest()
        im = Image.open(io.BytesIO(data)).convert("RGB")
        w, h = im.size
        s = 256 / min(w, h)
        im.resize((round(w * s), round(h * s)), Image.BOX)
        phash(im)
        if with_clip:
            clip(im)
    return n / (time.process_time() - t0)


def main():
    files = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(sys.argv[1], "bench_*.jpg")))]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    print("%-58s %10.0f" % ("PIL A: sha256+decode+resize 256 (BOX)+phash", run(files, n, False)))
    print("%-58s %10.0f" % ("PIL A + CLIP preprocessing 224", run(files, n, True)))


if __name__ == "__main__":
    main()
