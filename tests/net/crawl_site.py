#!/usr/bin/python3
"""A generated multi-host web site for the crawler's tests and benchmark, on loopback ports.

Usage: crawl_site.py OUT_DIR [--pages N] [--b-pages N] [--max-depth D] [--stall-s S]
                     [--no-specials] [--access-log]

Hosts (each its own HTTP/1.1 server on 127.0.0.1, port picked by the kernel; a client maps the
names with --resolve HOST:PORT:127.0.0.1):
  www.site-a.test   N pages in a binary tree (page i links to 2i+1, 2i+2 and i-1), each with an
                    image on img.site-a.test, a stylesheet and a script; robots.txt with a group
                    for warcpairs (disallow, allow, '*' and '$' rules) and a '*' group that
                    disallows everything (must not apply); redirects (and a loop), 404, 500,
                    429 with Retry-After, a slow and a stalled response, an endless calendar,
                    the same content under two URLs, windows-1252 and Shift_JIS pages,
                    rel=nofollow and meta robots nofollow, query-parameter and URL-length traps,
                    an out-of-scope link.
  img.site-a.test   the images (requisites: fetched although off the seeds' hosts); robots.txt
                    disallows /blocked-img/.
  b.site-b.test     a second seed: robots.txt 404 (allow all), a hub linking M pages.
  down.site-c.test  a seed whose robots.txt answers 503: nothing else may be fetched there.
  delay.site-d.test robots.txt with Crawl-delay: 0.5 and 6 pages.
  moved.site-e.test robots.txt redirects twice (301, then 302 to b.site-b.test/moved-robots.txt,
                    which disallows /secret/): those rules are this host's (RFC 9309 §2.3.1.2).
  loop.site-f.test  robots.txt redirects endlessly: after five, "unavailable" = allow all.

Writes into OUT_DIR: ports.txt ("host port" lines), resolve.txt (--resolve arguments),
seeds.txt, expected.txt (every URL the crawler must store a response for, computed here from
the site's own link graph and robots rules, breadth first to --max-depth), disallowed.txt (URLs
linked but disallowed by robots.txt), never.txt (URLs linked that must never be requested:
disallowed, nofollow, out of scope, capped), images.txt (image URLs on the stored HTML pages),
and with --access-log, access.log ("time host path" per request). Prints "READY" when serving.
"""
import argparse
import http.server
import os
import socketserver
import struct
import sys
import threading
import time
import zlib
from urllib.parse import quote

A, IMG, B, DOWN, DELAY, OTHER = ("www.site-a.test", "img.site-a.test", "b.site-b.test",
                                 "down.site-c.test", "delay.site-d.test", "other.test")
MOVED, LOOP = "moved.site-e.test", "loop.site-f.test"
HOSTS = (A, IMG, B, DOWN, DELAY, MOVED, LOOP)
SEEDS = (A, B, DOWN, DELAY, MOVED, LOOP)
SEED_HOSTS = set(SEEDS)
LOG_LOCK = threading.Lock()


def png(seed):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + bytes([(seed + x) % 256, (seed * 7) % 256, 99]) for x in range(1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Site:
    """The site's pages: path -> (status, headers, body, links, images, requisites)."""

    def __init__(self, args):
        self.args = args
        self.ports = {}
        self.busy_hits = 0

    def url(self, host, path):
        # --bench: every host is 127.0.0.1 on its own port (wget has no --resolve).
        name = "127.0.0.1" if self.args.bench else host
        return f"http://{name}:{self.ports[host]}{path}"

    # --- robots rules, written out by hand for each host (not parsed: the crawler parses) ---
    def allowed(self, host, path):
        if path == "/robots.txt":
            return True
        if host == A:
            if path == "/private/open.html":
                return True
            if path.startswith("/private/") or path.startswith("/no-warcpairs/"):
                return False
            if path.endswith(".pdf"):
                return False
            if path.startswith("/search?") and "q=" in path:
                return False
            return True
        if host == IMG:
            return not path.startswith("/blocked-img/")
        if host == DOWN:
            return False
        if host == MOVED:
            return not path.startswith("/secret/")
        return True

    def robots(self, host):
        if self.args.bench:
            return 200, "User-agent: *\nAllow: /\n"
        if host == A:
            return 200, ("User-agent: *\nDisallow: /\n\n"
                         "User-agent: otherbot\nAllow: /\n\n"
                         "# the group that applies to us\n"
                         "User-agent: warcpairs\n"
                         "Disallow: /private/\nAllow: /private/open.html\n"
                         "Disallow: /*.pdf$\nDisallow: /no-warcpairs/\n"
                         "Disallow: /search?*q=\n")
        if host == IMG:
            return 200, "User-agent: *\nDisallow: /blocked-img/\n"
        if host == B:
            return 404, "not here"
        if host == DOWN:
            return 503, "down"
        if host == DELAY:
            return 200, "User-agent: *\nCrawl-delay: 0.5\nAllow: /\n"
        return 404, ""

    # --- pages: (status, extra headers, body bytes, content type) and their outgoing links ---
    def page_a(self, i):
        n = self.args.pages
        links = [f"/page/{c}" for c in (2 * i + 1, 2 * i + 2) if c < n]
        if i > 0:
            links.append(f"../page/{i - 1}#back")  # relative, with a fragment
        imgs = [self.url(IMG, f"/img/{i}.png")]
        if self.args.bench:
            return links, imgs
        if i % 50 == 7:
            imgs.append(self.url(IMG, f"/blocked-img/{i}.png"))
        extra = []
        if i % 97 == 5:
            extra.append(f"/private/secret-{i}.html")
        if i % 89 == 3:
            extra += [f"/file-{i}.pdf", f"/file-{i}.pdf?download=1"]
        return links + extra, imgs

    def specials(self):
        s = [] if self.args.bench else [
            "/old/5", "/old/moved", "/loop-a", "/missing", "/broken", "/busy", "/slow",
            "/stall", "/dup-a", "/dup-b", "/latin1.html", "/sjis.html", "/nofollow.html",
            "/meta-nofollow.html", "/search?q=cats", "/search?page=2", "/private/open.html",
            "/no-warcpairs/x.html", "/cal/0", "/chunked.html",
            "/many?" + "&".join(f"p{k}=1" for k in range(20)),
            "/long/" + "x" * 2100,
            f"http://{OTHER}:{self.ports[A]}/elsewhere.html",
            "mailto:someone@site-a.test", "javascript:void(0)"]
        return s

    def html(self, title, links, imgs, charset="utf-8", head_extra=""):
        body = "".join(f'<p><a href="{l}">link</a></p>\n' for l in links)
        body += "".join(f'<img src="{u}" alt="image {k}">\n' for k, u in enumerate(imgs))
        return (f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>'
                f'<link rel="stylesheet" href="/style.css"><script src="/app.js"></script>'
                f'{head_extra}</head><body><h1>{title}</h1>\n{body}</body></html>\n')

    def respond(self, host, path):
        """(status, headers list, body bytes) for a GET, or ("stall", ...)."""
        ok = lambda body, ctype="text/html; charset=utf-8": (200, [("Content-Type", ctype)],
                                                             body if isinstance(body, bytes) else body.encode())
        if host == MOVED and path == "/robots.txt":
            return 301, [("Location", "/robots-hop")], b""
        if host == MOVED and path == "/robots-hop":
            return 302, [("Location", self.url(B, "/moved-robots.txt"))], b""
        if host == B and path == "/moved-robots.txt":
            return 200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /secret/\n"
        if host == LOOP and (path == "/robots.txt" or path.startswith("/robots-loop/")):
            k = int(path.rsplit("/", 1)[1]) if path.startswith("/robots-loop/") else 0
            return 302, [("Location", f"/robots-loop/{k + 1}")], b""
        if path == "/robots.txt":
            st, text = self.robots(host)
            return st, [("Content-Type", "text/plain")], text.encode()
        if path == "/style.css":
            return ok("body { color: #333 }\n", "text/css")
        if path == "/app.js":
            return ok("console.log(1);\n", "application/javascript")
        if host == IMG and (path.startswith("/img/") or path.startswith("/blocked-img/")):
            return ok(png(len(path)), "image/png")
        if host == B:
            if path == "/":
                links = [f"/item/{k}" for k in range(1, self.args.b_pages)]
                return ok(self.html("b hub", links, ["/img/hub.png"]))
            if path.startswith("/item/"):
                return ok(self.html(f"b item {path}", [], [f"/img/{path[6:]}.png"]))
            if path.startswith("/img/"):
                return ok(png(len(path) + 3), "image/png")
        if host == DELAY:
            if path == "/":
                return ok(self.html("delay hub", [f"/d{k}.html" for k in range(1, 6)], []))
            if path.startswith("/d"):
                return ok(self.html("delay page", [], []))
        if host == DOWN:
            return ok(self.html("must not be fetched", [], []))
        if host == MOVED and path == "/":
            return ok(self.html("moved robots", ["/open.html", "/secret/x.html"], []))
        if host == LOOP and path == "/":
            return ok(self.html("robots loop", ["/fine.html"], []))
        if host in (MOVED, LOOP) and path in ("/open.html", "/fine.html"):
            return ok(self.html(f"leaf {path}", [], []))
        if host != A:
            return 404, [("Content-Type", "text/plain")], b"no such host here"
        if path == "/":
            links, imgs = self.page_a(0)
            return ok(self.html("site a home", links + self.specials(), imgs))
        if path.startswith("/page/"):
            i = int(path[6:])
            if i >= self.args.pages:
                return 404, [("Content-Type", "text/html")], b"<p>no page</p>"
            links, imgs = self.page_a(i)
            return ok(self.html(f"page {i}", links, imgs))
        if path == "/old/5":
            return 301, [("Location", "/page/5"), ("Content-Type", "text/html")], b"moved"
        if path == "/old/moved":
            return 302, [("Location", "http://%s:%d/moved-target.html" % (A, self.ports[A]))], b""
        if path == "/loop-a":
            return 302, [("Location", "/loop-b")], b""
        if path == "/loop-b":
            return 302, [("Location", "/loop-a")], b""
        if path == "/broken":
            return 500, [("Content-Type", "text/plain")], b"server error"
        if path == "/busy":
            self.busy_hits += 1
            if self.busy_hits == 1:
                return 429, [("Retry-After", "1"), ("Content-Type", "text/plain")], b"slow down"
            return ok(self.html("busy, now served", [], []))
        if path == "/slow":
            time.sleep(1.5)
            return ok(self.html("slow", [], []))
        if path == "/stall":
            return "stall", [], b""
        if path in ("/dup-a", "/dup-b"):
            return ok(self.html("the same page twice", [], []))
        if path == "/latin1.html":
            return (200, [("Content-Type", "text/html")],
                    self.html("caf\xe9", ["caf\xe9.html"], [], charset="windows-1252").encode("cp1252"))
        if path == "/sjis.html":
            return (200, [("Content-Type", "text/html; charset=shift_jis")],
                    self.html("\u65e5\u672c", ["\u65e5\u672c.html"], [], charset="shift_jis").encode("shift_jis"))
        if path == "/nofollow.html":
            body = self.html("nofollow", [], []).replace(
                "</body>", '<a rel="nofollow" href="/nofollow-target.html">x</a></body>')
            return ok(body)
        if path == "/meta-nofollow.html":
            return ok(self.html("meta nofollow", ["/meta-target.html"], [],
                                head_extra='<meta name="robots" content="noindex, nofollow">'))
        if path == "/chunked.html":  # served chunked by serve() (CHUNKED_HEAD, chunked_body)
            return ok(self.html("chunked", ["/page/3"], [self.url(IMG, "/img/chunked.png")]))
        if path.startswith("/cal/"):
            k = int(path[5:])
            return ok(self.html(f"calendar {k}", [f"/cal/{k + 1}"], []))
        if path in ("/moved-target.html", "/caf%C3%A9.html", "/%E6%97%A5%E6%9C%AC.html",
                    "/search?page=2", "/private/open.html") or path.startswith("/file-"):
            return ok(self.html(f"leaf {path}", [], []))
        return 404, [("Content-Type", "text/html")], b"<p>not found</p>"

    # --- what a correct crawl stores, from the graph above ---
    def expected(self, max_depth):
        from html.parser import HTMLParser
        from urllib.parse import urljoin, urldefrag

        class Links(HTMLParser):
            def __init__(self):
                super().__init__()
                self.links, self.reqs, self.nofollow = [], [], False

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "a" and a.get("href") and "nofollow" not in (a.get("rel") or ""):
                    self.links.append(a["href"])
                elif tag == "img" and a.get("src"):
                    self.reqs.append(("image", a["src"]))
                elif tag == "link" and a.get("rel") == "stylesheet":
                    self.reqs.append(("style", a["href"]))
                elif tag == "script" and a.get("src"):
                    self.reqs.append(("style", a["src"]))
                elif tag == "meta" and a.get("name") == "robots" and "nofollow" in a.get("content", ""):
                    self.nofollow = True

        by_port = {str(p): h for h, p in self.ports.items()}

        def split(url):  # the site's own host name (by port: --bench names them all 127.0.0.1)
            rest = url.split("://", 1)[1]
            hostport, _, path = rest.partition("/")
            name, _, port = hostport.partition(":")
            return (by_port.get(port, name) if name in HOSTS + ("127.0.0.1",) else name), "/" + path

        stored, never, disallowed, images = set(), set(), set(), set()
        seen = {}
        queue = [(self.url(h, "/"), 0, "page") for h in ((A,) if self.args.bench else SEEDS)]
        for u, _, _ in queue:
            seen[u] = 0
        origins = set()
        head = 0
        while head < len(queue):
            url, depth, kind = queue[head]
            head += 1
            host, path = split(url)
            origins.add("/".join(url.split("/")[:3]))
            if not self.allowed(host, path):
                disallowed.add(url)
                never.add(url)
                continue
            st, headers, body = self.respond_pure(host, path)
            if st == "stall":
                continue  # requested, never complete: no record
            stored.add(url)
            hdr = dict(headers)
            targets = []
            if 300 <= st < 400 and "Location" in hdr:
                targets.append((urljoin(url, hdr["Location"]), kind))
            if st == 200 and kind == "page" and hdr.get("Content-Type", "").startswith("text/html"):
                p = Links()
                charset = "cp1252" if path == "/latin1.html" else "shift_jis" if path == "/sjis.html" else "utf-8"
                p.feed(body.decode(charset))
                if not p.nofollow:
                    targets += [(l, "page") for l in p.links]
                else:
                    never.update(urljoin(url, l) for l in p.links)
                for k, r in p.reqs:
                    targets.append((r, k))
                    if k == "image":
                        images.add(urljoin(url, r))
            for ref, k in targets:
                if ref.startswith(("mailto:", "javascript:")):
                    continue
                t = urldefrag(urljoin(url, ref))[0]
                t = "/".join(t.split("/")[:3]) + quote("/" + t.split("/", 3)[3] if t.count("/") >= 3 else "/",
                                                       safe="/?&=%:")
                th, tp = split(t)
                if k == "page" and th not in SEED_HOSTS:
                    never.add(t)
                    continue
                if len(t) > 2048 or tp.count("&") + 1 > 16 and "?" in tp:
                    never.add(t)
                    continue
                d = depth + 1
                if k == "page" and d > max_depth:
                    never.add(t)
                    continue
                if t not in seen:
                    seen[t] = d
                    queue.append((t, d, k))
        for origin in origins:
            host = split(origin + "/")[0]
            if host == MOVED:  # stored under the URL the redirects ended at
                stored.add(self.url(B, "/moved-robots.txt"))
            elif host != LOOP:  # too many redirects: no response stored
                stored.add(origin + "/robots.txt")
        never -= stored
        for u in list(never):
            if split(u)[0] == OTHER:
                continue
        return stored, never, disallowed, images

    def respond_pure(self, host, path):
        if path == "/busy":
            return 200, [("Content-Type", "text/html; charset=utf-8")], b""
        if path == "/slow":
            return 200, [("Content-Type", "text/html; charset=utf-8")], self.html("slow", [], []).encode()
        return self.respond(host, path)


# /chunked.html on the wire: header names in odd case and order, a repeated field, odd spacing,
# and a body in chunks of uneven sizes, one with a chunk extension and an upper-case size, then
# a trailer. serve() writes the exact bytes of the request and response to OUT/wire/ for the
# test to compare with the WARC records.
CHUNKED_HEAD = (b"HTTP/1.1 200 OK\r\n"
                b"x-first:   one \r\n"
                b"TRANSFER-ENCODING: chunked\r\n"
                b"content-TYPE: text/html; charset=utf-8\r\n"
                b"X-Multi: a\r\n"
                b"x-multi: b\r\n"
                b"Trailer: X-Checksum\r\n"
                b"\r\n")


def chunked_body(body):
    cuts, out, pos = [1, 17, 300], [], 0
    for k, n in enumerate(cuts + [len(body)]):
        piece = body[pos:pos + n]
        pos += len(piece)
        if not piece:
            break
        size = b"%X" % len(piece) if k == 2 else b"%x" % len(piece)
        out.append(size + (b";ext=v" if k == 1 else b"") + b"\r\n" + piece + b"\r\n")
    return b"".join(out) + b"0\r\nX-Checksum: %d\r\n\r\n" % zlib.crc32(body)


def serve(site, host, out_dir, log):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def do_GET(self):
            if log is not None:
                with LOG_LOCK:
                    log.write(f"{time.time():.3f} {host} {self.path}\n")
                    log.flush()
            st, headers, body = site.respond(host, self.path)
            if self.path == "/chunked.html" and host == A:
                wire = CHUNKED_HEAD + chunked_body(body)
                request = self.raw_requestline + b"".join(
                    f"{k}: {v}\r\n".encode("latin-1") for k, v in self.headers.items()) + b"\r\n"
                os.makedirs(os.path.join(out_dir, "wire"), exist_ok=True)
                for name, data in (("chunked.response", wire), ("chunked.request", request)):
                    with open(os.path.join(out_dir, "wire", name + ".tmp"), "wb") as f:
                        f.write(data)
                    os.replace(os.path.join(out_dir, "wire", name + ".tmp"), os.path.join(out_dir, "wire", name))
                self.wfile.write(wire)
                return
            if st == "stall":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html>")
                self.wfile.flush()
                time.sleep(site.args.stall_s)
                self.close_connection = True
                return
            self.send_response(st)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        request_queue_size = 256

    srv = Server(("127.0.0.1", 0), Handler)
    site.ports[host] = srv.server_address[1]
    return srv


def start(site, servers):
    for srv in servers:
        if site.args.bench:
            # --workers processes per host sharing its socket: Python's GIL, not the client,
            # would otherwise set the pace. Forked once every port is known.
            for _ in range(site.args.workers):
                if os.fork() == 0:
                    srv.serve_forever()
                    os._exit(0)
            srv.socket.close()
        else:
            threading.Thread(target=srv.serve_forever, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=1500)
    ap.add_argument("--b-pages", type=int, default=200)
    ap.add_argument("--max-depth", type=int, default=12)
    ap.add_argument("--stall-s", type=float, default=60)
    ap.add_argument("--bench", action="store_true",
                    help="www.site-a.test and img.site-a.test only, as 127.0.0.1:PORT, robots.txt allowing all, no special pages")
    ap.add_argument("--access-log", action="store_true")
    ap.add_argument("--workers", type=int, default=4, help="--bench: server processes per host")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    site = Site(args)
    log = open(os.path.join(args.out, "access.log"), "a") if args.access_log else None
    start(site, [serve(site, h, args.out, log)
                 for h in ((A, IMG) if args.bench else HOSTS)])
    stored, never, disallowed, images = site.expected(args.max_depth)
    site.busy_hits = 0
    w = lambda name, lines: open(os.path.join(args.out, name), "w").write("".join(l + "\n" for l in sorted(lines)))
    w("expected.txt", stored)
    w("never.txt", never)
    w("disallowed.txt", disallowed)
    w("images.txt", images)
    w("ports.txt", [f"{h} {p}" for h, p in site.ports.items()])
    w("resolve.txt", [f"--resolve={h}:{p}:127.0.0.1" for h, p in site.ports.items()])
    w("seeds.txt", [site.url(h, "/") for h in ((A,) if args.bench else SEEDS)])
    print("READY", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
