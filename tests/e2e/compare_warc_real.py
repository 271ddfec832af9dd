#!/usr/bin/env python3
"""Holds an extract + merge run over ../shared/data/warc-real against tools/reference_scan.py,
image by image, with every difference named in an expectations file.

reference_scan.py parses the WARC files, HTTP and gzip itself and the HTML with Python's
html.parser (not libxml2), and classifies each <img> by the rules written down in
docs/sample-data.md ("Per-image classes"): not_rendered, tracker_1x1, data_uri, without_url
or stored, with the stored image's URL resolved against the page. Checked here, exactly:
  - per file: the number of WARC records; no reader errors on either side, no skips;
  - the set of pages (target URI, record offset);
  - per page: the list of stored image URLs, in document order, equals the database's
    images (by idx) - except on the pages the expectations file names, where the two lists
    must differ exactly as written there (which URLs only one side has, and why);
  - in total: each counted class (image_data_uri, image_tracker_1x1, image_without_url,
    image_not_rendered in extract-stats.json) equals the reference's sum, corrected by the
    class moves the expectations file states for its pages.
An expectation that no longer happens fails too, so the file stays true.

usage: compare_warc_real.py RUN EXPECTATIONS.json WARC...   (exit 1 with the differences)
"""
import collections
import importlib.util
import json
import os
import sqlite3
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "reference_scan", os.path.join(here, "..", "..", "tools", "reference_scan.py"))
reference_scan = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference_scan)

# extract-stats.json note -> the reference's class name
NOTES = {"image_not_rendered": "not_rendered", "image_tracker_1x1": "tracker_1x1",
         "image_data_uri": "data_uri", "image_without_url": "without_url"}


def multiset_minus(a, b):
    return sorted((collections.Counter(a) - collections.Counter(b)).elements())


def check_page(name, page, got, expect, problems, moves):
    """`got`: the database's image URLs in idx order. Returns the reason if the page
    differs as expected."""
    want = [u for cls, u in page["images"] if cls == "stored"]
    where = f"{name}: {page['uri']}"
    if expect is None:
        if got != want:
            problems.append(f"{where}: unexplained difference: extract {len(got)} images, "
                            f"reference {len(want)}; only extract: {multiset_minus(got, want)[:5]}"
                            f"; only reference: {multiset_minus(want, got)[:5]}")
        return None
    only_x, only_r = multiset_minus(got, want), multiset_minus(want, got)
    if only_x != sorted(expect.get("only_extract", [])) or \
            only_r != sorted(expect.get("only_reference", [])):
        problems.append(f"{where}: differs otherwise than expected ({expect['reason']}): only "
                        f"extract {only_x}, only reference {only_r}")
    elif not only_x and not only_r and got == want:
        problems.append(f"{where}: expected a difference ({expect['reason']}), found none")
    elif not only_x and not only_r and not expect.get("order"):
        problems.append(f"{where}: same images in another order, not expected")
    for cls, n in expect.get("moves", {}).items():
        moves[cls] += n
    return expect["reason"]


def main():
    run, expect_path, warcs = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(expect_path, encoding="utf-8") as f:
        expected = json.load(f)
    pages_expected = {e["page"]: e for e in expected["pages"]}
    db = sqlite3.connect(os.path.join(run, "warcpairs.sqlite"))
    with open(os.path.join(run, "extract-stats.json"), encoding="utf-8") as f:
        stats = json.load(f)
    problems, seen = [], set()
    classes, moves, reasons = collections.Counter(), collections.Counter(), collections.Counter()
    n_pages = n_images = 0
    for path in warcs:
        scan = reference_scan.scan(path)
        name = os.path.basename(path)
        if scan["errors"]:
            problems.append(f"{name}: reference scan errors {scan['errors'][:3]}")
        row = db.execute("SELECT file_id, records, status FROM files WHERE path=?",
                         (os.path.abspath(path),)).fetchone()
        if row is None:
            problems.append(f"{name}: not in the database")
            continue
        file_id, records, status = row
        if records != scan["records"] or status != "ok":
            problems.append(f"{name}: {records} records ({status}), reference {scan['records']}")
        stored = collections.defaultdict(list)
        for uri, off, url in db.execute(
                "SELECT p.url, p.warc_offset, i.url FROM pages p LEFT JOIN images i USING(page_id)"
                " WHERE p.file_id=? ORDER BY p.page_id, i.idx", (file_id,)):
            stored[(uri, off)] += [url] if url is not None else []
        ref_keys = set()
        for page in scan["html"]:
            if page["status"] != 200:
                problems.append(f"{name}: {page['uri']}: HTTP {page['status']} (all are 200)")
            key = (page["uri"], page["offset"])
            ref_keys.add(key)
            for cls, _ in page["images"]:
                classes[cls] += 1
            if key not in stored:
                problems.append(f"{name}: page {key} missing from the database")
                continue
            n_pages += 1
            n_images += len(stored[key])
            seen.add(page["uri"])
            reason = check_page(name, page, stored[key], pages_expected.get(page["uri"]),
                                problems, moves)
            if reason:
                reasons[reason] += 1
        for key in sorted(set(stored) - ref_keys):
            problems.append(f"{name}: page {key} stored, not an HTML page for the reference")
    for uri in sorted(set(pages_expected) - seen):
        problems.append(f"expectation for a page not found: {uri}")
    if stats.get("skips"):
        problems.append(f"extract skipped {stats['skips']}")
    notes = stats.get("notes", {})
    for note, cls in NOTES.items():
        want = classes[cls] + moves[cls]
        if notes.get(note, 0) != want:
            problems.append(f"{note}: extract counted {notes.get(note, 0)}, reference {classes[cls]}"
                            f" {moves[cls]:+d} by the expected differences = {want}")
    want_images = classes["stored"] + moves["stored"]
    if n_images != want_images or stats.get("images") != n_images:
        problems.append(f"images: database {n_images}, extract-stats {stats.get('images')}, "
                        f"reference {classes['stored']} {moves['stored']:+d} = {want_images}")
    for line in problems:
        print("  " + line)
    if problems:
        print(f"{len(problems)} differences from the reference scan")
        return 1
    print(f"warc-real: {len(warcs)} files, {n_pages} pages, {n_images} images agree with the "
          f"reference; classes {dict(sorted(classes.items()))}; expected differences "
          f"{dict(sorted(reasons.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
