#!/usr/bin/env python3
"""Compares a merged warcpairs database with tools/reference_scan.py on the same WARC files.

reference_scan.py is an independent scanner (own gzip/record/HTTP parsing, Python's
html.parser), so agreement here is evidence, not a tautology. Per file: the number of WARC
records; the set of stored pages (2xx HTML responses and HTML resource records, by target
URI and record offset); per page, the stored images = <img> tags minus data: URIs and 1x1
trackers minus images without any URL and images inside elements a browser does not render
(noscript, template, object fallback, ...).

usage: compare_reference.py DB WARC...     (exit 1 with the differences)
"""
import importlib.util
import os
import sqlite3
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "reference_scan", os.path.join(here, "..", "..", "tools", "reference_scan.py"))
reference_scan = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference_scan)


def expected_pages(scan):
    for page in scan["html"]:
        status = page.get("status") or 0
        if page["type"] == "resource" or 200 <= status <= 299:
            yield page


def compare(db, path, problems):
    scan = reference_scan.scan(path)
    name = os.path.basename(path)
    row = db.execute("SELECT file_id, records FROM files WHERE path=?",
                     (os.path.abspath(path),)).fetchone()
    if row is None:
        problems.append(f"{name}: not in the database")
        return 0
    file_id, records = row
    if records != scan["records"]:
        problems.append(f"{name}: {records} records, reference {scan['records']}")
    stored = {(u, o): n for u, o, n in db.execute(
        "SELECT url, warc_offset, image_count FROM pages WHERE file_id=?", (file_id,))}
    want = list(expected_pages(scan))
    for page in want:
        key = (page["uri"], page["offset"])
        if key not in stored:
            problems.append(f"{name}: page {key} missing")
            continue
        # An image can be both hidden and 1x1 (a tracker in <noscript>): the bounds allow it.
        most = page["imgs"] - page["img_hidden"] - page["img_no_url"]
        least = most - page["img_data_uri"] - page["img_1x1"]
        if not least <= stored[key] <= most or (page["img_data_uri"] + page["img_1x1"] == 0
                                                 and stored[key] != most):
            problems.append(f"{name}: {page['uri']}: {stored[key]} images stored, reference "
                            f"{page['imgs']} <img>, {page['img_hidden']} not rendered, "
                            f"{page['img_no_url']} without URL, {page['img_data_uri']} data:, "
                            f"{page['img_1x1']} 1x1")
    extra = set(stored) - {(p["uri"], p["offset"]) for p in want}
    for key in sorted(extra):
        problems.append(f"{name}: page {key} stored but not an HTML 2xx page for the reference")
    return len(want)


def main():
    db = sqlite3.connect(sys.argv[1])
    problems, pages = [], 0
    for path in sys.argv[2:]:
        pages += compare(db, path, problems)
    for line in problems:
        print("  " + line)
    if problems:
        print(f"{len(problems)} differences from the reference scan")
        sys.exit(1)
    print(f"reference check: {len(sys.argv) - 2} files, {pages} pages agree")


if __name__ == "__main__":
    main()
