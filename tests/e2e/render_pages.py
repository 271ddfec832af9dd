#!/usr/bin/env python3
"""Pages for render's end-to-end tests, as a WARC file the renderer replays.

Usage: render_pages.py OUT.warc [--pages N] [--hang] [--real SRC.warc.gz REAL_OUT.warc.gz]

OUT.warc: a stylesheet (DejaVu Sans 16/22 px) and N pages http://gen.example/pK.html, each an
<h1> and 8 paragraphs of 60 words (enough visible tokens for crops) and an image the archive
lacks (its request fails); with --hang also http://gen.example/hang.html, whose script never
lets it load. --real: the first 4 pages (gzip members after warcinfo) of a real WARC file.
"""
import argparse
import zlib

WORDS = ("the river runs past old stone walls where children play every summer evening "
         "while their parents talk about weather markets and the price of bread").split()


def response(url, ctype, body):
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    return (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{zlib.crc32(url.encode()):032x}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode() + http + b"\r\n\r\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=5)
    ap.add_argument("--hang", action="store_true")
    ap.add_argument("--real", nargs=2, metavar=("SRC", "OUT"))
    a = ap.parse_args()
    recs = [response("http://gen.example/style.css", "text/css",
                     b"body{margin:8px;font:16px/22px 'DejaVu Sans';color:#111;background:#fff}")]
    for p in range(a.pages):
        paras = "".join("<p>" + " ".join(WORDS[(p + k + j) % len(WORDS)] for j in range(60)) + "</p>" for k in range(8))
        html = (f"<!doctype html><html><head><title>page {p}</title><link rel=stylesheet href='/style.css'></head>"
                f"<body><h1>Page {p}</h1><img src='http://gen.example/missing{p}.png'>{paras}</body></html>").encode()
        recs.append(response(f"http://gen.example/p{p}.html", "text/html", html))
    if a.hang:
        recs.append(response("http://gen.example/hang.html", "text/html",
                             b"<!doctype html><body><p>never loads</p><script>while (true) {}</script></body>"))
    with open(a.out, "wb") as f:
        f.write(b"".join(recs))
    if a.real:
        data = open(a.real[0], "rb").read()
        members, pos = [], 0
        while pos < len(data) and len(members) < 5:
            d = zlib.decompressobj(31)
            d.decompress(data[pos:])
            end = len(data) - len(d.unused_data)
            members.append(data[pos:end])
            pos = end
        with open(a.real[1], "wb") as f:
            f.write(b"".join(members))


if __name__ == "__main__":
    main()
