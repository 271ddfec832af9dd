#!/usr/bin/python3
"""Serves the images of a generated sample crawl on loopback, over HTTP and HTTPS, by host name.

Usage: serve_sample_images.py IMAGES --cert CERT.pem --key KEY.pem [--port-file FILE]
                              [--delay-ms N]

IMAGES is what tools/gen_sample_images.py wrote: IMAGES/<host><path>[?<query>]. A request for
http(s)://HOST/PATH?QUERY is answered with that file (404 when there is none), whatever port it
arrived on, so one server stands in for every host of the sample: `warcpairs score
--connect-to :443:127.0.0.1:HTTPS_PORT --connect-to :80:127.0.0.1:HTTP_PORT --ca-file CERT.pem`
sends the sample's URLs here unchanged (their host names reach us in the Host header and, over
TLS, in SNI; CERT must name them). Listens on 127.0.0.1 only, on two free ports; prints
"HTTP <port>" and "HTTPS <port>" (and writes them to --port-file) once both listen, counts the
files served and the misses, and prints them when stopped (SIGTERM or SIGINT). --delay-ms
holds each answer back that long (a slow mirror: tests that stop a score job midway).
Standard library only: http.server for HTTP/1.1 (keep-alive) and ssl for TLS.
"""
import argparse
import http.server
import os
import signal
import ssl
import sys
import threading
import time
import urllib.parse

COUNTS = {"served": 0, "missing": 0}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    delay_s = 0.0

    def do_GET(self):  # noqa: N802 (http.server's name)
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        parts = urllib.parse.urlsplit(self.path)
        target = parts.path + ("?" + parts.query if parts.query else "")
        base = os.path.join(self.root, host)
        path = os.path.normpath(os.path.join(base, target.lstrip("/")))
        body = None
        if host and path.startswith(base + os.sep) and os.path.isfile(path):
            with open(path, "rb") as f:
                body = f.read()
        with LOCK:
            COUNTS["served" if body is not None else "missing"] += 1
        time.sleep(self.delay_s)
        if body is None:
            body = b"no such image in the sample\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")  # gen_sample_images.py writes PNGs
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet: counted instead
        pass


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("images", help="folder written by tools/gen_sample_images.py")
    ap.add_argument("--cert", required=True, help="PEM certificate naming the sample's hosts")
    ap.add_argument("--key", required=True, help="its PEM private key")
    ap.add_argument("--port-file", help="also write the two port lines here")
    ap.add_argument("--delay-ms", type=float, default=0, help="wait this long before each answer")
    args = ap.parse_args(argv)
    Handler.root = os.path.abspath(args.images)
    Handler.delay_s = args.delay_ms / 1000
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    tls.socket = context.wrap_socket(tls.socket, server_side=True)
    for server in (plain, tls):
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ports = f"HTTP {plain.server_address[1]}\nHTTPS {tls.server_address[1]}\n"
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(ports)
        os.replace(args.port_file + ".tmp", args.port_file)
    sys.stdout.write(ports)
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    print(f"serve_sample_images: {COUNTS['served']} images served, {COUNTS['missing']} requests "
          "for files the sample does not have", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
