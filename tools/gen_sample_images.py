#!/usr/bin/python3
"""The images a generated sample crawl points to, and a WordPiece vocabulary of its words.

Usage: gen_sample_images.py --warc-dir DIR --out IMAGES [--vocab FILE] [--max-side 640]

Reads the manifests that tools/gen_sample_warc.py wrote beside its WARC files (every image of
every page, with its absolute URL), and writes one decodable PNG per distinct http(s) image URL
at IMAGES/<host><path>[?<query>] (what tools/serve_sample_images.py serves for that URL), in
the size the page declares (at most --max-side pixels a side; 320x240 when it declares none).
The pixels are a deterministic pattern of coloured bands keyed by the URL: no photographs ship
with the sample, so a CLIP score of these images says nothing about their captions.

--vocab FILE writes a BERT-style (uncased) WordPiece vocabulary built from the generator's own
word lists (the words its pages are made of) and every character in them, in BERT's layout
([PAD], [unused0..98], [UNK], [CLS], [SEP], [MASK], ...), so the quick start can train a span
model without downloading bert-base-uncased's vocab.txt.

--bpe FILE writes a CLIP byte-level BPE merges file of the size CLIP's has (48,894 merges after
"#version: 0.2"), made of pairs of byte characters: it tokenizes any text into valid ids for a
random-weight CLIP (`warcpairs checkpoint clip`), and means nothing, as such a CLIP does not.
Standard library only (Python >= 3.9), like the generator.
"""
import argparse
import glob
import hashlib
import json
import os
import struct
import sys
import unicodedata
import urllib.parse
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_sample_warc  # noqa: E402  (its word lists)


def png(width, height, seed):
    """A width x height RGB PNG of bands whose colours come from `seed` (bytes)."""
    def colour(i):
        return bytes(seed[(3 * i + k) % len(seed)] for k in range(3))
    bands = [colour(i) for i in range(6)]
    stripe = max(1, width // 5)
    row_cache = []
    for b in range(3):  # three kinds of rows: vertical stripes in different colours
        row = bytearray()
        for x in range(0, width, stripe):
            row += bands[(x // stripe + b) % len(bands)] * min(stripe, width - x)
        row_cache.append(b"\0" + bytes(row))  # filter type 0
    band_h = max(1, height // 3)
    raw = b"".join(row_cache[min(y // band_h, 2)] for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))


def image_path(root, url):
    """Where the image of `url` lives under root, or None for a URL that cannot be a file."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    target = parts.path + ("?" + parts.query if parts.query else "")
    if not parts.path.startswith("/") or parts.path.endswith("/"):
        return None
    path = os.path.normpath(os.path.join(root, parts.hostname.lower(), target.lstrip("/")))
    return path if path.startswith(os.path.join(root, parts.hostname.lower()) + os.sep) else None


def write_images(warc_dir, out, max_side):
    root = os.path.abspath(out)
    written = skipped = 0
    seen = set()
    for manifest in sorted(glob.glob(os.path.join(warc_dir, "*.manifest.json"))):
        with open(manifest, encoding="utf-8") as f:
            pages = json.load(f)["pages"]
        for page in pages:
            for im in page.get("images") or []:
                url = im.get("url")
                if not url or im.get("skip") or url in seen:
                    continue
                seen.add(url)
                path = image_path(root, url)
                if path is None:
                    skipped += 1
                    continue
                w, h = im.get("width") or 320, im.get("height") or 240
                scale = min(1.0, max_side / max(w, h))
                w, h = max(1, int(w * scale)), max(1, int(h * scale))
                try:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as f:
                        f.write(png(w, h, hashlib.sha256(url.encode()).digest()))
                    written += 1
                except OSError as e:  # e.g. a path that is also another URL's folder
                    print(f"gen_sample_images: {url}: {e}", file=sys.stderr)
                    skipped += 1
    return written, skipped


def words():
    """Every string in the generator's word lists (dicts and lists of strings, nested)."""
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
    for name, value in vars(gen_sample_warc).items():
        if name.isupper() and isinstance(value, (dict, list, tuple)):
            walk(value)
    return out


def is_cjk(ch):
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x2FA1F)


def basic_tokens(text):
    """BERT's uncased pre-tokenization: lower case, accents stripped, split on spaces and
    punctuation, CJK ideographs alone."""
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
    tokens, cur = [], ""
    for c in text:
        if c.isspace() or unicodedata.category(c).startswith("P") or is_cjk(c) or (c.isascii() and not c.isalnum()):
            if cur:
                tokens.append(cur)
            cur = ""
            if not c.isspace():
                tokens.append(c)
        else:
            cur += c
    if cur:
        tokens.append(cur)
    return tokens


def write_vocab(path):
    specials = ["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars, whole = set(), set()
    for text in words():
        for tok in basic_tokens(text):
            whole.add(tok)
            chars.update(tok)
    chars.update(c for c in map(chr, range(33, 127)) if not c.isupper())
    entries = sorted(chars) + ["##" + c for c in sorted(chars) if not is_cjk(c)] + sorted(whole - chars)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(specials + entries) + "\n")
    return len(specials) + len(entries)


CLIP_MERGES = 48894  # 49408 tokens - 256 bytes - 256 bytes</w> - start and end


def byte_characters():
    """GPT-2/CLIP's bytes_to_unicode: the character standing for each byte, in byte order."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1))
                 + list(range(ord("\u00ae"), ord("\u00ff") + 1)))
    extra, out = 0, []
    for b in range(256):
        if b in printable:
            out.append(chr(b))
        else:
            out.append(chr(256 + extra))
            extra += 1
    return out


def write_bpe(path):
    chars = byte_characters()
    lines = ["#version: 0.2"]
    for a in chars:
        for b in chars:
            if len(lines) > CLIP_MERGES:
                break
            lines.append(f"{a} {b}")  # every merged token is a distinct two-character string
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines) - 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--warc-dir", required=True, help="folder of gen_sample_warc.py's output")
    ap.add_argument("--out", required=True, help="folder of the images (created)")
    ap.add_argument("--vocab", help="also write a WordPiece vocab.txt here")
    ap.add_argument("--bpe", help="also write a (meaningless) CLIP BPE merges file here")
    ap.add_argument("--max-side", type=int, default=640)
    args = ap.parse_args(argv)
    if not glob.glob(os.path.join(args.warc_dir, "*.manifest.json")):
        ap.error(f"no *.manifest.json in {args.warc_dir}: run tools/gen_sample_warc.py first")
    written, skipped = write_images(args.warc_dir, args.out, args.max_side)
    print(f"{written} images in {args.out} ({skipped} URLs that cannot be files skipped)")
    if args.vocab:
        print(f"{write_vocab(args.vocab)} WordPiece entries in {args.vocab}")
    if args.bpe:
        print(f"{write_bpe(args.bpe)} CLIP BPE merges (pairs of byte characters) in {args.bpe}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
