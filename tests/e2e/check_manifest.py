#!/usr/bin/env python3
"""Compares a merged warcpairs database with the generator's manifests.

The manifest is what tools/gen_sample_warc.py emitted (not parsed back), so this is an
expectation independent of the code under test. Checks, per generated WARC file: every
200 HTML page (URI, record offset, charset, lang, title) and every stored image of each
page in document order (absolute URL, alt, has_alt, figcaption, width/height, whether a
training label was found), and that data: URIs and 1x1 trackers were not stored.

usage: check_manifest.py DB MANIFEST.json...   (exit 1 and a list of differences on failure)
"""
import json
import os
import sqlite3
import sys

MAX_SHOWN = int(os.environ.get("MAX_SHOWN", 30))


def norm_lang(lang):
    return (lang or "").strip().lower()


def check_file(db, manifest, problems):
    name = manifest["warc"]
    row = db.execute("SELECT file_id, status FROM files WHERE path LIKE ?", ("%/" + name,)).fetchone()
    if row is None:
        problems.append(f"{name}: not in files table")
        return 0, 0
    file_id = row[0]
    pages = {r[0]: r for r in db.execute(
        "SELECT url, page_id, warc_offset, charset, language, title FROM pages WHERE file_id=?",
        (file_id,))}
    # A page with a defect is still stored (truncated, or with U+FFFD for invalid UTF-8),
    # except binary bytes served as text/html, which are not a page at all.
    stored_pages = [p for p in manifest["pages"] if p.get("defect") != "binary"]
    if len(pages) != len(stored_pages):
        problems.append(f"{name}: {len(pages)} pages stored, manifest has {len(stored_pages)}")
    for page in stored_pages:
        if page["uri"] not in pages:
            problems.append(f"{name} {page['uri']}: page ({page.get('defect')}) missing")
    expected_pages = [p for p in stored_pages if p.get("defect") is None]
    n_images = 0
    for page in expected_pages:
        where = f"{name} {page['uri']}"
        got = pages.get(page["uri"])
        if got is None:
            problems.append(f"{where}: page missing")
            continue
        _, page_id, offset, charset, language, title = got
        if manifest.get("compression") != "file" and offset != page["offset"]:
            problems.append(f"{where}: offset {offset} != {page['offset']}")
        if charset != page["charset"]:
            problems.append(f"{where}: charset {charset!r} != {page['charset']!r}")
        if language != norm_lang(page.get("lang")):
            problems.append(f"{where}: lang {language!r} != {norm_lang(page.get('lang'))!r}")
        if title != page["title"]:
            problems.append(f"{where}: title {title!r} != {page['title']!r}")
        n_images += check_images(db, page_id, page, where, problems)
    return len(expected_pages), n_images


def check_images(db, page_id, page, where, problems):
    stored = db.execute(
        "SELECT url, alt, has_alt, figcaption, width, height, label_start "
        "FROM images WHERE page_id=? ORDER BY idx", (page_id,)).fetchall()
    expected = [i for i in page["images"] if i.get("skip") is None]
    if len(stored) != len(expected):
        problems.append(f"{where}: {len(stored)} images stored, manifest has {len(expected)} "
                        f"(+{len(page['images']) - len(expected)} skipped)")
    for k, (img, got) in enumerate(zip(expected, stored)):
        url, alt, has_alt, figcaption, width, height, label_start = got
        tag = f"{where} image {k}"
        if url != img["url"]:
            problems.append(f"{tag}: url {url!r} != {img['url']!r} (via {img.get('via')})")
        want_alt = img["alt"] if img["alt"] is not None else ""
        if alt != want_alt or bool(has_alt) != (img["alt"] is not None):
            problems.append(f"{tag}: alt {alt!r}/{has_alt} != {img['alt']!r}")
        if figcaption != (img.get("figcaption") or ""):
            problems.append(f"{tag}: figcaption {figcaption!r} != {img.get('figcaption')!r}")
        for field, value in (("width", width), ("height", height)):
            if value != img.get(field):
                problems.append(f"{tag}: {field} {value!r} != {img.get(field)!r}")
        if want_alt and img.get("alt_in_context") is not None:
            if (label_start is not None) != bool(img["alt_in_context"]):
                problems.append(f"{tag}: label {'found' if label_start is not None else 'missing'}"
                                f" but alt_in_context={img['alt_in_context']} (alt {want_alt!r})")
    return len(expected)


def main():
    db = sqlite3.connect(sys.argv[1])
    problems, pages, images = [], 0, 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        p, i = check_file(db, manifest, problems)
        pages += p
        images += i
    if problems:
        print(f"{len(problems)} differences from the manifests:")
        for line in problems[:MAX_SHOWN]:
            print("  " + line)
        sys.exit(1)
    if pages == 0:
        print("no pages checked: wrong manifests?")
        sys.exit(1)
    print(f"manifest check: {pages} pages and {images} images match "
          f"{len(sys.argv) - 2} manifests")


if __name__ == "__main__":
    main()
