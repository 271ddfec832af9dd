#!/usr/bin/env python3
"""How well a span model fits each side of the page split, next to the "line after the image" rule.

After `warcpairs predict --out RUN --model DIR` and `warcpairs merge --out RUN` on a run that
tools/quality.sh trained (RUN = WORK/run, or a copy of it), prints for the training, dev and
held-out images (split as train --validation-fraction 0.1 --dev-fraction DEV does): token F1
and exact match (SQuAD normalisation) of the model's stored prediction and of the context's
line that starts at the image, against the label. A model below the rule on its own training
pages underfits the rule; above it there and below it on the others, it memorises pages.
    python3 tools/quality_fit.py RUN [DEV]
"""
import collections
import re
import sqlite3
import string
import sys

_M = (1 << 64) - 1


def page_split_point(url):
    """text::page_split_point: FNV-1a 64 of the URL, MurmurHash3 fmix64, top 53 bits in [0, 1)."""
    h = 0xcbf29ce484222325
    for b in url.encode():
        h = ((h ^ b) * 0x100000001b3) & _M
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & _M
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & _M
    h ^= h >> 33
    return (h >> 11) * 2.0 ** -53


def _tokens(s):
    s = "".join(c for c in s.lower() if c not in string.punctuation)
    return re.sub(r"\b(a|an|the)\b", " ", s).split()


def token_f1(pred, gold):
    p, g = _tokens(pred), _tokens(gold)
    if not p or not g:
        return float(p == g)
    common = sum((collections.Counter(p) & collections.Counter(g)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def main():
    run, dev = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.1
    db = sqlite3.connect(f"{run}/warcpairs.sqlite")
    sums = collections.defaultdict(lambda: [0, 0.0, 0, 0.0, 0])
    rows = db.execute(
        "SELECT p.url, i.context, i.image_pos, i.label_start, i.label_end, pr.text FROM images i "
        "JOIN pages p USING(page_id) JOIN predictions pr USING(image_id) WHERE i.label_start IS NOT NULL")
    for url, ctx, pos, start, end, pred in rows:
        u = page_split_point(url)
        side = "held-out" if u < 0.1 else "dev" if u < 0.1 + dev else "train"
        label = ctx[start:end]
        nl = ctx.find("\n", pos)
        line = ctx[pos:nl if nl >= 0 else len(ctx)]
        s = sums[side]
        s[0] += 1
        s[1] += token_f1(pred, label)
        s[2] += _tokens(pred) == _tokens(label)
        s[3] += token_f1(line, label)
        s[4] += _tokens(line) == _tokens(label)
    if not sums:
        sys.exit(f"no labelled image with a prediction in {run}: run predict and merge first")
    for side in ("train", "dev", "held-out"):
        if side in sums:
            n, mf, me, lf, le = sums[side]
            print(f"{side}: {n} images; model F1 {mf / n:.3f} EM {me / n:.3f}; "
                  f"the line after the image F1 {lf / n:.3f} EM {le / n:.3f}")


if __name__ == "__main__":
    main()
