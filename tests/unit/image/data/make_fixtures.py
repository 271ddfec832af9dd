#!/usr/bin/python3
"""Makes the image-layer test fixtures with PIL 9.4 (Debian python3-pil): run with
/usr/bin/python3 tests/unit/image/data/make_fixtures.py (writes next to itself).

Sources are synthetic photo-like RGB images (gradients, shapes, seeded noise) saved raw
(*.rgb: width*height*3 bytes, row-major). Expectations (PIL's own outputs) go to raw files and
to cases.txt, one case a line, which the C++ tests read:
  resample SRC W H FILTER OW OH EXPECTED      PIL Image.resize((OW, OH), FILTER)
  clip SRC W H SIZE EXPECTED                  HF CLIPImageProcessor's uint8 stage (resize+crop)
  phash SRC W H HEX                           imagehash.phash steps (PIL L, LANCZOS 32x32, DCT)
  decode FILE EXPECTED W H                    PIL decode -> RGB (alpha/transparency on white)
  draft FILE MIN_SIDE EXPECTED W H            PIL im.draft("RGB", (MIN_SIDE, MIN_SIDE)) decode
"""
import io
import math
import os
import random

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []


def synth(w, h, seed):
    rnd = random.Random(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / (7 + seed)) * np.cos(y / 11)
    g = 255 * x / max(w - 1, 1)
    b = 255 * y / max(h - 1, 1)
    img = np.stack([r, g, b], axis=-1)
    for _ in range(6):  # hard-edged shapes: where ringing and aliasing show
        cx, cy, rad = rnd.uniform(0, w), rnd.uniform(0, h), rnd.uniform(3, max(w, h) / 4)
        col = [rnd.randint(0, 255) for _ in range(3)]
        img[(x - cx) ** 2 + (y - cy) ** 2 < rad * rad] = col
    noise = np.random.default_rng(seed).integers(-20, 21, size=img.shape)
    return Image.fromarray(np.clip(img + noise, 0, 255).astype(np.uint8), "RGB")


def raw(name, im):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(im.convert("RGB").tobytes())


def on_white(im):
    """img2dataset's alpha matting: c * a / 255 + 255 - a, rounded."""
    a = np.asarray(im.convert("RGBA")).astype(np.float64)
    rgb = a[..., :3] * a[..., 3:4] / 255 + 255 - a[..., 3:4]
    return Image.fromarray(np.rint(np.clip(rgb, 0, 255)).astype(np.uint8), "RGB")


def clip_stage(im, size):
    """transformers CLIPImageProcessor: shortest edge -> size (long = int(size*long/short)),
    PIL BICUBIC, then center_crop with top = (h - size) // 2."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    if short != size:
        new_long = int(size * long / short)
        im = im.resize((size, new_long) if w <= h else (new_long, size), Image.BICUBIC)
    w, h = im.size
    top, left = (h - size) // 2, (w - size) // 2
    return im.crop((left, top, left + size, top + size))


def phash_hex(im):
    """imagehash.phash without scipy: the DCT-II by its definition (scipy's factor 2 and its
    orthogonal scaling do not change which coefficients exceed the median)."""
    px = np.asarray(im.convert("L").resize((32, 32), Image.LANCZOS)).astype(np.float64)
    n = np.arange(32)
    basis = np.cos(np.pi * np.outer(np.arange(32), 2 * n + 1) / 64)  # [k, n]
    dct = basis @ px @ basis.T  # axis 0 then axis 1
    low = dct[:8, :8]
    bits = (low > np.median(low)).flatten()
    return "{:016x}".format(int("".join("1" if b else "0" for b in bits), 2))


def main():
    sources = {"a": synth(120, 90, 1), "b": synth(90, 200, 2), "c": synth(37, 23, 3)}
    for key, im in sources.items():
        raw(f"src_{key}.rgb", im)
    filters = {"box": Image.BOX, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
               "lanczos": Image.LANCZOS}
    sizes = {"a": [(50, 37), (100, 61), (33, 90), (1, 1), (7, 150)],  # shrink, mixed
             "c": [(97, 61), (50, 37), (7, 50), (1, 1)]}  # enlarge, mixed
    for key in ("a", "c"):
        im = sources[key]
        for fname, f in filters.items():
            for ow, oh in sizes[key]:
                out = f"resample_{key}_{fname}_{ow}x{oh}.rgb"
                raw(out, im.resize((ow, oh), f))
                cases.append(f"resample src_{key}.rgb {im.width} {im.height} {fname} {ow} {oh} {out}")
    for key, size in (("a", 224), ("a", 64), ("b", 64), ("c", 64), ("b", 90), ("b", 57)):
        im = sources[key]
        out = f"clip_{key}_{size}.rgb"
        raw(out, clip_stage(im, size))
        cases.append(f"clip src_{key}.rgb {im.width} {im.height} {size} {out}")
    for key, im in sources.items():
        cases.append(f"phash src_{key}.rgb {im.width} {im.height} {phash_hex(im)}")
    write_encoded(synth(80, 60, 5))
    big = synth(200, 150, 6)
    big.save(os.path.join(HERE, "big_q85.jpg"), "JPEG", quality=85)
    for min_side in (20, 48, 75, 76):  # 1/4, 1/2, 1/2 (150 // 75 = 2), full (150 // 76 = 1)
        im = Image.open(os.path.join(HERE, "big_q85.jpg"))
        im.draft("RGB", (min_side, min_side))
        im = im.convert("RGB")
        out = f"big_q85_draft{min_side}.rgb"
        raw(out, im)
        cases.append(f"draft big_q85.jpg {min_side} {out} {im.width} {im.height}")
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("# Written by make_fixtures.py with PIL %s; do not edit by hand.\n"
                % Image.__version__)
        f.write("\n".join(cases) + "\n")


def save(name, im, expected_im, **kw):
    fmt = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[name.rsplit(".", 1)[1]]
    im.save(os.path.join(HERE, name), fmt, **kw)
    dec = Image.open(os.path.join(HERE, name))
    dec.load()
    exp = expected_im(dec)
    out = name.replace(".", "_") + ".rgb"
    raw(out, exp)
    cases.append(f"decode {name} {out} {exp.width} {exp.height}")


def gif_first_frame(dec):
    """First frame, palette indices through the palette, transparent index -> white."""
    dec.seek(0)
    idx = np.asarray(dec.convert("P") if dec.mode != "P" else dec)
    pal = np.array(dec.getpalette()[: 3 * 256] + [0] * 768, dtype=np.uint8)[:768].reshape(256, 3)
    rgb = pal[idx]
    t = dec.info.get("transparency")
    if t is not None:
        rgb[idx == t] = 255
    return Image.fromarray(rgb, "RGB")


def write_encoded(a):
    to_rgb = lambda d: d.convert("RGB")
    save("a_q90.jpg", a, to_rgb, quality=90)
    save("a_q75_progressive_444.jpg", a, to_rgb, quality=75, progressive=True, subsampling=0)
    save("a_gray.jpg", a.convert("L"), to_rgb, quality=85)
    save("a_cmyk.jpg", a.convert("CMYK"), to_rgb, quality=95)
    save("a_rgba.png", rgba_of(a), on_white)
    save("a_palette.png", a.quantize(64), to_rgb)
    save("a_lossy.webp", a, to_rgb, quality=80)
    save("a_alpha.webp", rgba_of(a), on_white, lossless=True)
    q = a.quantize(32)
    save("a_interlaced.gif", q, gif_first_frame, interlace=True)
    save("a_transparent.gif", q, gif_first_frame, transparency=5)
    frames = [q, a.rotate(90).quantize(32), a.transpose(Image.FLIP_LEFT_RIGHT).quantize(16)]
    save("a_anim.gif", frames[0], gif_first_frame, save_all=True, append_images=frames[1:],
         duration=100, loop=0)
    save("a_anim.webp", rgba_of(a), on_white, save_all=True, quality=80,
         append_images=[a.rotate(90), a.transpose(Image.FLIP_LEFT_RIGHT)], duration=100, loop=0)


def rgba_of(im):
    w, h = im.size
    alpha = Image.fromarray(
        np.clip(np.add.outer(np.arange(h) * 2, np.arange(w)), 0, 255).astype(np.uint8), "L")
    out = im.copy()
    out.putalpha(alpha)
    return out


if __name__ == "__main__":
    main()
