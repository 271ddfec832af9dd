#!/usr/bin/env python3
"""The image-kind measurement on a merged run (tests/data/image-kinds/README.md).

  image_kinds_sample.py pick RUN [--seed 16] [--n 100] [--exclude EARLIER.jsonl]
      a random sample of images (fixed seed), printed as JSON lines with the evidence a person
      judges by (URL, alt, title, dom_path, declared size, figcaption, page URL and title, the
      text around the image) and WITHOUT the classifier's kind, for hand judging.
  image_kinds_sample.py measure RUN SAMPLE.jsonl [--min-precision 0.9]
      the database's kinds (image_kinds view) against the judged ones: the confusion table,
      precision and recall of `content`; exit 1 when precision is below the bar or a sampled
      image is not in the run.
  image_kinds_sample.py shares RUN
      the share of images of each kind, and the most common reasons, as a Markdown table.
stdlib only.
"""
import argparse
import collections
import json
import random
import sqlite3
import sys


def connect(run):
    db = sqlite3.connect(f"file:{run}/warcpairs.sqlite?mode=ro", uri=True)
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version < 7:
        sys.exit(f"{run}: schema version {version} has no image kinds (7 or later needed)")
    return db


def pick(args):
    db = connect(args.run)
    rows = db.execute(
        "SELECT p.url, i.idx, i.url, i.alt, i.title, i.dom_path, i.width, i.height, i.figcaption, "
        "p.title, i.context, i.image_pos FROM images i JOIN pages p USING (page_id) "
        "ORDER BY p.url, i.idx").fetchall()
    if args.exclude:  # pages of an earlier sample: a new sample independent of it
        seen = {json.loads(line)["page"] for line in open(args.exclude, encoding="utf-8") if line.strip()}
        rows = [r for r in rows if r[0] not in seen]
    sample = random.Random(args.seed).sample(rows, args.n)
    sample.sort(key=lambda r: (r[0], r[1]))
    for (page, idx, url, alt, title, path, w, h, cap, ptitle, ctx, pos) in sample:
        print(json.dumps({"page": page, "idx": idx, "url": url, "alt": alt, "title": title,
                          "dom_path": path, "width": w, "height": h, "figcaption": cap,
                          "page_title": ptitle, "before": ctx[max(0, pos - 160):pos],
                          "after": ctx[pos:pos + 160]}, ensure_ascii=False))


def measure(args):
    db = connect(args.run)
    judged = [json.loads(line) for line in open(args.sample, encoding="utf-8") if line.strip()]
    confusion = collections.Counter()
    missing, rows = [], []
    for j in judged:
        got = db.execute(
            "SELECT i.url, k.kind, k.kind_reason FROM images i JOIN pages p USING (page_id) "
            "JOIN image_kinds k USING (image_id) WHERE p.url = ? AND i.idx = ?",
            (j["page"], j["idx"])).fetchone()
        if got is None or got[0] != j["url"]:
            missing.append(f'{j["page"]} #{j["idx"]} {j["url"]}')
            continue
        confusion[(j["kind"], got[1])] += 1
        rows.append((j["kind"], got[1], got[2], j["url"]))
    if missing:
        print("sampled images not in the run:\n  " + "\n  ".join(missing))
        return 1
    tp = sum(n for (truth, got), n in confusion.items() if truth == "content" and got == "content")
    said = sum(n for (truth, got), n in confusion.items() if got == "content")
    real = sum(n for (truth, got), n in confusion.items() if truth == "content")
    precision = tp / said if said else 0.0
    recall = tp / real if real else 0.0
    print("judged -> classified: images")
    for (truth, got), n in sorted(confusion.items()):
        print(f"  {truth:>11} -> {got:<11} {n}")
    if args.verbose:
        for truth, got, reason, url in rows:
            if (truth == "content") != (got == "content"):
                print(f"  differs: judged {truth}, classified {got} ({reason}): {url}")
    print(f"content: precision {precision:.3f} ({tp}/{said}), recall {recall:.3f} ({tp}/{real}); "
          f"{len(rows)} images judged")
    if precision < args.min_precision:
        print(f"FAIL: precision of content {precision:.3f} < {args.min_precision}")
        return 1
    return 0


def shares(args):
    db = connect(args.run)
    total = db.execute("SELECT count(*) FROM images").fetchone()[0]
    pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    print(f"{total} images on {pages} pages\n")
    print("| kind | images | share | most common reasons |\n|---|---:|---:|---|")
    for kind, n in db.execute("SELECT kind, count(*) FROM image_kinds GROUP BY kind ORDER BY 2 DESC"):
        reasons = db.execute(
            "SELECT CASE WHEN kind_reason LIKE 'repeated:%' THEN 'repeated' ELSE kind_reason END r, "
            "count(*) FROM image_kinds WHERE kind = ? GROUP BY r ORDER BY 2 DESC LIMIT 4",
            (kind,)).fetchall()
        text = ", ".join(f"{r} {c}" for r, c in reasons)
        print(f"| {kind} | {n} | {100.0 * n / total:.1f} % | {text} |")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pick")
    p.add_argument("run")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--exclude", help="a sample file whose pages are left out")
    m = sub.add_parser("measure")
    m.add_argument("run")
    m.add_argument("sample")
    m.add_argument("--min-precision", type=float, default=0.9)
    m.add_argument("-v", "--verbose", action="store_true")
    s = sub.add_parser("shares")
    s.add_argument("run")
    args = ap.parse_args()
    return {"pick": pick, "measure": measure, "shares": shares}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
