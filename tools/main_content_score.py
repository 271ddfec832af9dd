#!/usr/bin/env python3
"""Scores the page text warcpairs stored (extract --page-text main|all, then merge) against
../shared/data/warc-real/main-content.jsonl, with the rule of its SOURCES.md: whitespace-
normalised substring matching summed over all pages; a `with` segment found is a true positive
(missed: false negative), a `without` segment found a false positive (absent: true negative).
Prints warcpairs' row beside the published table, for all pages and for the two halves split
by the parity of the URL's SHA-1 (develop on "even", check on "odd").

Usage: tools/main_content_score.py RUN/warcpairs.sqlite [--truth FILE] [--label NAME]
           [--min-f F] [--half even|odd] [--worst N]
Exit 1 when --min-f is given and F (all pages, or --half) is below it; 2 on bad input.
"""
import argparse
import hashlib
import json
import os
import sqlite3
import sys

PUBLISHED = [  # SOURCES.md: 990 documents, 2026-08-04
    ("trafilatura 2.2.0", 0.924, 0.906, 0.943),
    ("magic-html", 0.889, None, None),
    ("jusText", 0.862, None, None),
    ("readability-lxml", 0.826, None, None),
    ("resiliparse", 0.811, None, None),
    ("all visible text (inscriptis)", 0.694, None, None),
    ("raw HTML", 0.667, None, None),
]


def norm(s):
    return " ".join(s.split())


def half_of(url):
    return "even" if hashlib.sha1(url.encode("utf-8")).digest()[-1] % 2 == 0 else "odd"


class Counts:
    def __init__(self):
        self.tp = self.fn = self.fp = self.tn = 0

    def add(self, other):
        self.tp += other.tp; self.fn += other.fn; self.fp += other.fp; self.tn += other.tn

    def scores(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fn + self.fp + self.tn
        a = (self.tp + self.tn) / total if total else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, a, f


def score_page(text, truth):
    c = Counts()
    for seg in truth["with"]:
        if norm(seg) in text: c.tp += 1
        else: c.fn += 1
    for seg in truth["without"]:
        if norm(seg) in text: c.fp += 1
        else: c.tn += 1
    return c


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("database")
    ap.add_argument("--truth", default=os.path.join(here, "..", "..", "shared", "data", "warc-real",
                                                    "main-content.jsonl"))
    ap.add_argument("--label", default="warcpairs")
    ap.add_argument("--min-f", type=float)
    ap.add_argument("--half", choices=["even", "odd"])
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with most errors")
    args = ap.parse_args()
    if not os.path.exists(args.truth):
        print(f"missing {args.truth} (../shared/data/warc-real)", file=sys.stderr); return 2
    if not os.path.exists(args.database):
        print(f"missing {args.database}", file=sys.stderr); return 2
    truth = [json.loads(line) for line in open(args.truth, encoding="utf-8") if line.strip()]
    db = sqlite3.connect(f"file:{args.database}?mode=ro", uri=True)
    cols = [r[1] for r in db.execute("PRAGMA table_info(pages)")]
    if "text" not in cols:
        print("pages has no text column: extract with a warcpairs that has --page-text", file=sys.stderr)
        return 2
    texts = {}
    for url, text in db.execute("SELECT url, text FROM pages"):
        texts[url.strip()] = norm(text)
    if not any(texts.values()):
        print("every pages.text is empty: extract with --page-text main or all", file=sys.stderr)
        return 2
    # 9 URLs of the truth file end in a space that the WARC records' WARC-Target-URI lacks.
    missing = [t["url"] for t in truth if t["url"].strip() not in texts]
    totals = {"all": Counts(), "even": Counts(), "odd": Counts()}
    per_page = []
    for t in truth:
        c = score_page(texts.get(t["url"].strip(), ""), t)
        totals["all"].add(c)
        totals[half_of(t["url"])].add(c)
        per_page.append((c.fn + c.fp, c, t["url"]))
    print(f"pages scored: {len(truth)} (not in the database, scored as empty text: {len(missing)})")
    for u in missing[:5]:
        print(f"  missing: {u}")
    print()
    print("| extractor | F | precision | recall | accuracy |")
    print("|---|---|---|---|---|")
    for name in ("all", "even", "odd"):
        p, r, a, f = totals[name].scores()
        label = args.label if name == "all" else f"{args.label}, {name} half"
        print(f"| {label} | {f:.3f} | {p:.3f} | {r:.3f} | {a:.3f} |")
    for name, f, p, r in PUBLISHED:
        ps = f"{p:.3f}" if p is not None else ""
        rs = f"{r:.3f}" if r is not None else ""
        print(f"| {name} (published) | {f:.3f} | {ps} | {rs} | |")
    c = totals["all"]
    print(f"\nsums: tp {c.tp}, fn {c.fn}, fp {c.fp}, tn {c.tn}")
    if args.worst:
        for errors, pc, url in sorted(per_page, key=lambda x: -x[0])[: args.worst]:
            print(f"  {errors:3d} errors (fn {pc.fn}, fp {pc.fp}) {url}")
    if args.min_f is not None:
        f = totals[args.half or "all"].scores()[3]
        if f < args.min_f:
            print(f"FAIL: F {f:.3f} < {args.min_f}", file=sys.stderr)
            return 1
        print(f"ok: F {f:.3f} >= {args.min_f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
