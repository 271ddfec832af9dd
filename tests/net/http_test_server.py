#!/usr/bin/python3
"""HTTP test server for the net layer: real files plus slow, failing, 429, redirecting,
oversized, truncated, wrong-type, noai and byte-exact raw responses; counts hits per path.

Usage: http_test_server.py FILES_DIR [--port N] [--host H]
GET /flaky_img/NAME?fails=N answers 503 N times, then serves the file NAME.
GET /_hits?path=P returns how often P was requested; path=_connections counts TCP connections.
Prints "PORT <n>" on stdout once listening (port 0 picks a free one).
"""
import argparse
import collections
import http.server
import os
import sys
import threading
import time
import urllib.parse

HITS = collections.Counter()      # path -> requests seen
KEYED = collections.Counter()     # (path, key) -> requests seen, for /429 and /flaky
LOCK = threading.Lock()
FILES_DIR = "."

TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
         ".gif": "image/gif", ".webp": "image/webp"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the client can reuse connections
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with LOCK:
            HITS["_connections"] += 1  # one handler per TCP connection: counts keep-alive misses

    def send_body(self, status, body, ctype="application/octet-stream", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        path = url.path
        if path != "/_hits":
            with LOCK:
                HITS[path] += 1
        route = ROUTES.get(path)
        if route is None and path.startswith("/img/"):
            route = Handler.img
        if route is None and path.startswith("/flaky_img/"):
            route = Handler.flaky_img
        if route is None:
            return self.send_body(404, b"not found\n", "text/plain")
        return route(self, q)

    def img(self, q):
        name = os.path.basename(urllib.parse.unquote(self.path.split("?")[0][5:]))
        full = os.path.join(FILES_DIR, name)
        if not name or not os.path.isfile(full):
            return self.send_body(404, b"no such file\n", "text/plain")
        with open(full, "rb") as f:
            data = f.read()
        ctype = TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
        self.send_body(200, data, ctype)

    def hits(self, q):
        with LOCK:
            n = HITS[q.get("path", "")]
        self.send_body(200, str(n).encode(), "text/plain")

    def slow(self, q):
        ms = int(q.get("ms", "1000"))
        if q.get("mode", "headers") == "headers":
            time.sleep(ms / 1000.0)
            return self.send_body(200, b"\xff\xd8slow\xff\xd9", "image/jpeg")
        # Dribble: headers now, then 10 body bytes spread over ms.
        body = b"0123456789"
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for b in body:
            self.wfile.write(bytes([b]))
            self.wfile.flush()
            time.sleep(ms / 1000.0 / len(body))

    def status(self, q):
        code = int(self.path.split("?")[0].rsplit("/", 1)[1])
        self.send_body(code, b"status %d\n" % code, "text/plain")

    def keyed_count(self, q):
        key = (self.path.split("?")[0], q.get("key", ""))
        with LOCK:
            KEYED[key] += 1
            return KEYED[key]

    def too_many(self, q):
        n = self.keyed_count(q)
        if n <= int(q.get("times", "1")):
            return self.send_body(429, b"slow down\n", "text/plain",
                                  [("Retry-After", q.get("after", "1"))])
        self.send_body(200, b"\xff\xd8after429\xff\xd9", "image/jpeg")

    def flaky(self, q):
        n = self.keyed_count(q)
        if n <= int(q.get("fails", "2")):
            return self.send_body(503, b"try again\n", "text/plain")
        self.send_body(200, b"\xff\xd8flaky-ok\xff\xd9", "image/jpeg")

    def flaky_img(self, q):
        """/flaky_img/NAME?fails=N: 503 for the first N requests of this path, then the file."""
        if self.keyed_count(q) <= int(q.get("fails", "1")):
            return self.send_body(503, b"try again later\n", "text/plain")
        self.path = "/img/" + self.path.split("?")[0][len("/flaky_img/"):]
        return self.img(q)

    def redirect(self, q):
        n = int(q.get("n", "1"))
        to = q.get("to", "/img/")
        if n > 1:
            to = "/redirect?" + urllib.parse.urlencode({"to": to, "n": n - 1})
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def big(self, q):
        n = int(q.get("bytes", "1000000"))
        chunk = b"x" * 65536
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        if q.get("chunked") == "1":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            left = n
            while left > 0:
                part = chunk[:min(left, len(chunk))]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                left -= len(part)
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(n))
        self.end_headers()
        left = n
        while left > 0:
            part = chunk[:min(left, len(chunk))]
            self.wfile.write(part)
            left -= len(part)

    def truncated(self, q):
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"\xff\xd8" + b"t" * 98)
        self.wfile.flush()
        self.close_connection = True

    def wrongtype(self, q):
        self.send_body(200, b"<!doctype html><title>not an image</title>", "text/html; charset=utf-8")

    def noai(self, q):
        self.send_body(200, b"\xff\xd8noai\xff\xd9", "image/jpeg", [("X-Robots-Tag", "noai")])

    def noimageai(self, q):
        self.send_body(200, b"\xff\xd8noimageai\xff\xd9", "image/jpeg",
                       [("X-Robots-Tag", "otherbot: noimageai")])

    def robots(self, q):
        # /robots?tag=V[&tag2=W]: an image answered with one or two X-Robots-Tag fields.
        tags = [("X-Robots-Tag", q[k]) for k in ("tag", "tag2") if k in q]
        self.send_body(200, b"\xff\xd8robots\xff\xd9", "image/jpeg", tags)

    def raw(self, q):
        # Written byte for byte, not through send_header: the engine must return these bytes.
        self.wfile.write(RAW[q.get("case", "headers")])


# Raw responses for /raw?case=...: header lines with odd casing and spacing, a repeated field,
# a bare-LF line end; an interim 103 before the response; a chunked body with a trailer.
RAW_HEADERS = (b"HTTP/1.1 200 Fine, Thanks\r\n"
               b"content-TYPE:text/plain;charset=us-ascii\r\n"
               b"X-Odd-Spacing:    two  spaces   \r\n"
               b"Set-Cookie: a=1\r\n"
               b"Set-Cookie: b=2; Path=/\r\n"
               b"X-Bare-LF: yes\n"
               b"Content-Length: 5\r\n"
               b"\r\n")
RAW_INTERIM = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
RAW_CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
RAW_TRAILERS = b"X-Sum: 42\r\n\r\n"
RAW = {
    "headers": RAW_HEADERS + b"hello",
    "interim": RAW_INTERIM + RAW_HEADERS + b"hello",
    "trailer": RAW_CHUNKED_HEAD + b"5\r\nhello\r\n0\r\n" + RAW_TRAILERS,
}


ROUTES = {
    "/_hits": Handler.hits, "/slow": Handler.slow, "/status/500": Handler.status,
    "/status/404": Handler.status, "/status/503": Handler.status, "/429": Handler.too_many,
    "/flaky": Handler.flaky, "/redirect": Handler.redirect, "/big": Handler.big,
    "/truncated": Handler.truncated, "/wrongtype": Handler.wrongtype, "/noai": Handler.noai,
    "/noimageai": Handler.noimageai, "/raw": Handler.raw, "/robots": Handler.robots,
}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass  # clients hang up on purpose (timeouts, caps): not worth a traceback


def main():
    global FILES_DIR
    ap = argparse.ArgumentParser()
    ap.add_argument("files")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    FILES_DIR = args.files
    server = Server((args.host, args.port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
