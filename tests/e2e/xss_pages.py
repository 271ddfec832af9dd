#!/usr/bin/env python3
"""Test pages for the browser-facing stages (analyze, review):

  xss_pages.py images DIR                 six plain JPEGs DIR/a0.jpg .. a5.jpg (PIL)
  xss_pages.py warc BASE OUT [--context HTML] [--garbage]
                                          OUT: a WARC of two pages, three images each, at
                                          BASE/img/aN.jpg; the first two alt texts are XSS strings
                                          (<script>, attribute breaking), the context paragraphs
                                          carry HTML (escaped markup by default); the last image's
                                          class calls it an icon (image kinds: the one pair
                                          --image-kinds content leaves out); --garbage adds
                                          stray bytes after the records (a skip).
"""
import argparse

from warc_records import response_record

ALTS = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
        "a blue ferry at dusk", "red roofs of the old town", "a cat &amp; a dog", "mountain lake"]


def images(folder):
    from PIL import Image
    for i in range(6):
        Image.new("RGB", (200 + 60 * i, 150 + 20 * i), (40 * i, 120, 220 - 30 * i)).save(f"{folder}/a{i}.jpg", quality=90)


def warc(base, out, context, garbage):
    records = []
    for p in range(2):
        imgs = "".join(f'<p>Context {p}-{k}: {context} and more words here.</p>'
                       f'<img src="{base}/img/a{p * 3 + k}.jpg" alt="{ALTS[p * 3 + k]}"'
                       + (' class="icon"' if p * 3 + k == 5 else '') + f'><p>After {k}.</p>'
                       for k in range(3))
        html = f"<html lang=\"en\"><head><title>page {p}</title></head><body>{imgs}</body></html>".encode()
        records.append(response_record(p, f"http://xss.test/page{p}", html))
    if garbage:
        records.append(b"stray bytes between records\r\n\r\n")  # a skip record (warc_garbage)
    open(out, "wb").write(b"".join(records))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("images").add_argument("dir")
    w = sub.add_parser("warc")
    w.add_argument("base")
    w.add_argument("out")
    w.add_argument("--context", default="&lt;script&gt;alert(1)&lt;/script&gt;")
    w.add_argument("--garbage", action="store_true")
    a = ap.parse_args()
    images(a.dir) if a.what == "images" else warc(a.base, a.out, a.context, a.garbage)
