#!/usr/bin/env python3
"""Independent reference scan of WARC files (plain, gzip per record, whole-file gzip); stdlib only.

Prints JSON: records per WARC-Type, every HTML response/resource record with its target URI,
HTTP status, record offset and the number of <img> start tags (html.parser), and the problems
met on the way (gzip errors, garbage, wrong Content-Length, truncation). Written from the specs
(WARC 1.1 §4-§6, RFC 9112 §7.1 chunked coding, RFC 1952 gzip), sharing no code with warcpairs,
so end-to-end tests can check the C++ reader against it. See docs/sample-data.md.
"""
import argparse
import json
import re
import sys
import zlib
from html.parser import HTMLParser

CHUNK = 1 << 20
GZ_MAGIC = b"\x1f\x8b\x08"
WARC_START = re.compile(rb"WARC/1\.[01]\r?\n")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_BLOCK = 256 << 20  # blocks above this are stepped over unchecked


def gzip_events(f, errors):
    """Yields (member_start, bytes) for every member; resynchronises on the next gzip magic."""
    file_pos, member_start = 0, 0
    d = zlib.decompressobj(31)
    in_member = False
    buf = f.read(CHUNK)
    while buf:
        try:
            out = d.decompress(buf, 4 * CHUNK)
        except zlib.error as e:
            # Bytes that do not even start a member are garbage between members.
            kind = "gzip" if in_member or buf[:3] == GZ_MAGIC else "garbage"
            errors.append({"kind": kind, "offset": member_start, "detail": str(e)})
            nxt = find_magic(f, member_start + 1)
            yield None, None  # tells the reader the stream is broken here
            if nxt is None:
                return
            f.seek(nxt)
            file_pos = member_start = nxt
            d, in_member, buf = zlib.decompressobj(31), False, f.read(CHUNK)
            continue
        in_member = True
        if out:
            yield member_start, out
        if d.eof:
            rest = d.unused_data
            file_pos += len(buf) - len(rest)
            member_start = file_pos
            d, in_member = zlib.decompressobj(31), False
            buf = rest if rest else f.read(CHUNK)
            continue
        tail = d.unconsumed_tail
        file_pos += len(buf) - len(tail)
        buf = tail if tail else f.read(CHUNK)
    if in_member:
        errors.append({"kind": "gzip", "offset": member_start, "detail": "truncated gzip member"})
        yield None, None


def find_magic(f, start):
    f.seek(start)
    pos, carry = start, b""
    while True:
        data = f.read(CHUNK)
        if not data:
            return None
        hay = carry + data
        i = hay.find(GZ_MAGIC)
        if i >= 0:
            return pos - len(carry) + i
        carry = hay[-2:]
        pos += len(data)


def plain_events(f):
    while True:
        data = f.read(CHUNK)
        if not data:
            return
        yield None, data


class Stream:
    """Decompressed bytes with their uncompressed offsets and the gzip member each came from."""

    def __init__(self, events):
        self.events = events
        self.buf = bytearray()
        self.base = 0          # uncompressed offset of buf[0]
        self.marks = []        # (uoffset, member_start) where each piece began
        self.eof = False
        self.broken = False    # a damaged gzip member was left behind: the stream jumps here

    def fill(self):
        if self.broken:
            return False
        for member, data in self.events:
            if data is None:
                self.broken = True
                return False
            u = self.base + len(self.buf)
            if not self.marks or self.marks[-1][1] != member:
                self.marks.append((u, member))
            self.buf += data
            return True
        self.eof = True
        return False

    def ensure(self, end):
        """Makes buf hold up to uncompressed offset `end`; False at end of stream."""
        while self.base + len(self.buf) < end:
            if self.eof or not self.fill():
                return False
        return True

    def restart(self):
        """Continues after a break: what was buffered is dropped, offsets keep counting."""
        self.base += len(self.buf)
        self.buf.clear()
        self.marks.clear()
        self.broken = False
        return self.base

    def drop_to(self, u):
        cut = u - self.base
        if cut > 0:
            del self.buf[:cut]
            self.base = u
            while len(self.marks) > 1 and self.marks[1][0] <= u:
                self.marks.pop(0)

    def member_of(self, u):
        m = None
        for mu, member in self.marks:
            if mu <= u:
                m = member
        return m

    def find(self, pattern, start, limit=None):
        """Searches from uncompressed offset `start`; returns (offset, match) or (None, None)."""
        while True:
            hay = bytes(self.buf[start - self.base:]) if limit is None else \
                bytes(self.buf[start - self.base:start - self.base + limit])
            m = pattern.search(hay) if hasattr(pattern, "search") else None
            if m:
                return start + m.start(), m
            if limit is not None and len(hay) >= limit:
                return None, None
            if self.eof or not self.fill():
                return None, None


HEADER_END = re.compile(rb"\r?\n\r?\n")


def scan(path, want_pages=True):
    errors, types, pages = [], {}, []
    members = set()
    with open(path, "rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
        f.seek(0)
        events = gzip_events(f, errors) if gz else plain_events(f)
        st = Stream(events)
        pos = 0
        resync = False
        while True:
            rec = next_record(st, pos, errors, resync)
            if rec is None:
                if st.broken:
                    pos, resync = st.restart(), True
                    continue
                break
            resync = False
            pos = rec["end"]
            members.add(rec["offset"])
            types[rec["type"]] = types.get(rec["type"], 0) + 1
            page = html_page(rec, errors)
            if page is not None:
                pages.append(page)
            st.drop_to(pos)
    result = {
        "file": path,
        "compression": ("gzip" if gz else "none"),
        "records": sum(types.values()),
        "by_type": dict(sorted(types.items())),
        "html_responses": len(pages),
        "pages_with_img": sum(1 for p in pages if p["imgs"]),
        "img_tags": sum(p["imgs"] for p in pages),
        "img_text_hits": sum(p["img_text_hits"] for p in pages),
        "errors": errors,
    }
    if gz:
        result["record_members"] = len(members)  # == records: one record per member
    if want_pages:
        result["html"] = pages
    return result


def next_record(st, pos, errors, resync=False):
    """Parses the record at or after `pos`; reports and skips anything that is not one.
    `resync`: the bytes before the next record are the remains of a reported error."""
    while True:
        start, _ = st.find(WARC_START, pos)
        if start is None:
            tail = bytes(st.buf[pos - st.base:]).strip(b"\r\n \t")
            if tail and not resync and not st.broken:
                errors.append({"kind": "garbage", "offset": offset_of(st, pos),
                               "uoffset": pos, "detail": f"{len(tail)} bytes at end"})
            return None
        if not resync and bytes(st.buf[pos - st.base:start - st.base]).strip(b"\r\n \t"):
            errors.append({"kind": "garbage", "uoffset": pos, "offset": offset_of(st, pos),
                           "detail": f"{start - pos} bytes before a record"})
        resync = False
        hdr_at, m = st.find(HEADER_END, start, 1 << 16)
        if hdr_at is None and st.broken:
            return None
        if hdr_at is None:
            errors.append({"kind": "truncated" if st.eof else "header", "uoffset": start,
                           "offset": offset_of(st, start), "detail": "no end of WARC header"})
            pos = start + 5
            continue
        head = bytes(st.buf[start - st.base:hdr_at - st.base]).decode("utf-8", "replace")
        fields = parse_fields(head.split("\n")[1:])
        body_at = hdr_at + (m.end() - m.start())
        try:
            length = int(fields.get("content-length", ""))
        except ValueError:
            errors.append({"kind": "content-length", "uoffset": start,
                           "offset": offset_of(st, start), "detail": "missing Content-Length"})
            pos, resync = body_at, True
            continue
        rec = {"type": fields.get("warc-type", "?"), "fields": fields, "uoffset": start,
               "offset": offset_of(st, start)}
        if length > MAX_BLOCK:
            rec["block"], rec["end"] = b"", body_at + length + 4
            return rec
        if not st.ensure(body_at + length + 4):
            if st.broken:
                return None  # the gzip error is reported already
            have = st.base + len(st.buf) - body_at
            if have >= length and bytes(st.buf[body_at + length - st.base:]).strip(b"\r\n") == b"":
                rec["block"], rec["end"] = bytes(st.buf[body_at - st.base:body_at + length - st.base]), \
                    st.base + len(st.buf)
                return rec
            errors.append({"kind": "truncated", "uoffset": start, "offset": rec["offset"],
                           "detail": f"block has {max(have, 0)} of {length} bytes",
                           "record_id": fields.get("warc-record-id")})
            if WARC_START.search(bytes(st.buf[body_at - st.base:])) is None:
                return None  # the file ends inside this record
            pos, resync = body_at, True
            continue
        # WARC 1.1 §4: the block is followed by CRLF CRLF. Real files are sloppier (a bare LF,
        # extra CRLFs, or the CRLFs counted inside Content-Length), so accept up to 8 CR/LF
        # bytes followed by the next record or the end of the file.
        end = body_at + length
        st.ensure(end + 16)
        after = bytes(st.buf[end - st.base:end + 16 - st.base])
        gap = 4 if after.startswith(b"\r\n\r\n") else len(after) - len(after.lstrip(b"\r\n"))
        if gap != 4 and (gap > 8 or (after[gap:] and not after[gap:].startswith(b"WARC/"))):
            errors.append({"kind": "content-length", "uoffset": start, "offset": rec["offset"],
                           "detail": f"Content-Length {length} not followed by CRLF CRLF",
                           "record_id": fields.get("warc-record-id")})
            pos, resync = body_at, True  # a too-long claim may have swallowed the next record
            continue
        rec["block"] = bytes(st.buf[body_at - st.base:end - st.base])
        rec["end"] = end + gap
        return rec


def offset_of(st, u):
    member = st.member_of(u)
    return u if member is None else member


def parse_fields(lines):
    out = {}
    for line in lines:
        if ":" in line:
            k, v = line.split(":", 1)
            out.setdefault(k.strip().lower(), v.strip())
    return out


def media_type(ct):
    return ct.split(";")[0].strip().lower()


def html_page(rec, errors):
    f = rec["fields"]
    wct = f.get("content-type", "")
    status, ctype, body = None, None, None
    if rec["type"] == "response" and media_type(wct) == "application/http":
        head_end = HEADER_END.search(rec["block"])
        if not head_end:
            return None
        lines = rec["block"][:head_end.start()].decode("latin-1").split("\n")
        parts = lines[0].split()
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            errors.append({"kind": "http", "offset": rec["offset"], "uoffset": rec["uoffset"],
                           "detail": f"bad status line {lines[0].strip()[:60]!r}",
                           "record_id": f.get("warc-record-id")})
            return None
        status = int(parts[1]) if parts[1].isdigit() else None
        hdrs = parse_fields(lines[1:])
        ctype = hdrs.get("content-type", "")
        if media_type(ctype) not in HTML_TYPES:
            return None
        body = rec["block"][head_end.end():]
        if "chunked" in hdrs.get("transfer-encoding", "").lower():
            body = dechunk(body)
        enc = hdrs.get("content-encoding", "").lower().strip()
        if enc in ("gzip", "x-gzip", "deflate"):
            body = inflate(body, enc)
    elif rec["type"] == "resource" and media_type(wct) in HTML_TYPES:
        ctype, body = wct, rec["block"]
    else:
        return None
    counter = ImgCounter(f.get("warc-target-uri", "").strip("<>"))
    text, charset = decode(body, ctype)
    try:
        counter.feed(text)
        counter.close()
    except Exception:  # html.parser gives up on some binary input: count what it saw
        pass
    return {"uri": f.get("warc-target-uri", "").strip("<>"), "type": rec["type"],
            "status": status, "offset": rec["offset"], "uoffset": rec["uoffset"],
            "record_id": f.get("warc-record-id"), "content_type": media_type(ctype),
            "charset": charset, "bytes": len(body), "nul_bytes": body.count(b"\x00"),
            "invalid_utf8": charset in ("utf-8", "utf8") and not valid_utf8(body),
            "imgs": counter.imgs, "img_data_uri": counter.data_uri, "img_1x1": counter.one_by_one,
            "img_hidden": counter.hidden, "img_no_url": counter.no_url,
            "img_text_hits": body.lower().count(b"<img"), "images": counter.resolved_images()}


def valid_utf8(body):
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def dechunk(body):
    """RFC 9112 §7.1; returns the input unchanged if it is not valid chunked coding."""
    out, i = [], 0
    while True:
        nl = body.find(b"\n", i)
        if nl < 0:
            return body
        size = body[i:nl].split(b";")[0].strip()
        try:
            n = int(size, 16)
        except ValueError:
            return body
        if n == 0:
            return b"".join(out)
        out.append(body[nl + 1:nl + 1 + n])
        i = nl + 1 + n
        if body[i:i + 2] == b"\r\n":
            i += 2
        elif body[i:i + 1] == b"\n":
            i += 1


def inflate(body, enc):
    for wbits in ((31,) if enc != "deflate" else (15, -15)):
        try:
            d = zlib.decompressobj(wbits)
            return d.decompress(body) + d.flush()
        except zlib.error:
            continue
    return body


CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
PY_CODEC = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "gb2312": "gbk", "x-sjis": "shift_jis", "sjis": "shift_jis"}


def decode(body, ctype):
    """BOM, then the HTTP charset, then a <meta> in the first 1024 bytes, else utf-8 where
    the bytes are valid UTF-8 and windows-1252 where not (HTML §13.2.3.2 leaves that last
    default to the implementation; browsers in Western locales take windows-1252)."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    m = CHARSET_PARAM.search((ctype or "").encode("latin-1", "replace")) or \
        CHARSET_PARAM.search(body[:1024])
    name = m.group(1).decode().lower() if m else ("utf-8" if valid_utf8(body) else "windows-1252")
    try:
        return body.decode(PY_CODEC.get(name, name), "replace"), name
    except LookupError:
        return body.decode("latin-1"), name


class ImgCounter(HTMLParser):
    """Counts <img> start tags; separately those a browser would not show or that carry no
    URL: inside elements whose content is not rendered (noscript with scripting on, template,
    object/video/canvas fallback, ...), with no URL attribute at all, data: URIs and 1x1.

    Also classifies every <img> by the rules docs/sample-data.md ("Per-image classes") writes
    down for what an extractor should store, into `images`: [class, url] per tag, class one of
    not_rendered, tracker_1x1, data_uri, without_url, stored; url is the chosen image URL
    resolved against the page (after <base href>), for `stored` only."""
    HIDING = {"noscript", "template", "object", "noframes", "noembed", "iframe", "video",
              "canvas", "select", "textarea", "datalist", "head"}
    URL_ATTRS = ("src", "srcset", "data-src", "data-srcset", "data-lazy-src", "data-original")
    # Not rendered for the per-image classes: as HIDING, plus svg, frameset and any element
    # with a `hidden` attribute; not head (an <img> there closes the head in every HTML parser).
    NOT_RENDERED = (HIDING - {"head"}) | {"svg", "frameset"}
    LAZY_SRC = ("data-src", "data-lazy-src", "data-original")
    LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")

    def __init__(self, page_url=""):
        super().__init__(convert_charrefs=True)
        self.imgs = self.data_uri = self.one_by_one = self.hidden = self.no_url = 0
        self.hiding = []
        self.page_url, self.base = page_url, None
        self.open = []           # (tag, hides) of the open elements
        self.not_rendered = 0    # how many of them hide their content
        self.pictures = []       # per open <picture>: [candidates, first source's end]
        self.images = []         # [class, url or None] per <img>, in document order

    def set_cdata_mode(self, elem, *args, **kwargs):
        """HTML5 §13.2.5.3: script/style text ends at `</script` followed by whitespace, `/`
        or `>` (Python 3.11's html.parser wants `</script\\s*>`: `</script` + newline +
        more before the `>` ran to the end of the page)."""
        super().set_cdata_mode(elem, *args, **kwargs)
        self.interesting = re.compile(r"</%s(?=[\t\n\f\r />])" % self.cdata_elem, re.I)

    def parse_endtag(self, i):
        if self.cdata_elem is not None:
            m = re.compile(r"</%s(?=[\t\n\f\r />])" % self.cdata_elem, re.I).match(self.rawdata, i)
            if m:
                gt = self.rawdata.find(">", m.end())
                if gt < 0:
                    return -1
                elem = self.cdata_elem
                self.clear_cdata_mode()
                self.handle_endtag(elem)
                return gt + 1
        return super().parse_endtag(i)

    def parse_comment(self, i, report=1):
        """HTML5 §13.2.5.43-52 instead of html.parser's `--\\s*>`: a comment ends at the first
        `-->` or `--!>`, `<!-->` and `<!--->` at once (a script's `o-- >0` ends nothing)."""
        raw = self.rawdata
        if raw.startswith(">", i + 4) or raw.startswith("->", i + 4):
            end, data = raw.index(">", i + 4) + 1, ""
        else:
            m = COMMENT_END.search(raw, i + 4)
            if m is None:
                return -1  # not complete yet: html.parser waits for more input
            end, data = m.end(), raw[i + 4:m.start()]
        if report:
            self.handle_comment(data)
        return end

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDING:
            self.hiding.append(tag)
        self.track_rendering(tag, attrs)
        if tag == "base" and self.base is None:
            href = first_attr(attrs, "href")
            if href is not None:
                self.base = href
        elif tag == "picture":
            self.pictures.append([[], 0])
        elif tag == "source" and self.pictures:
            pic = self.pictures[-1]
            for k, v in attrs:
                if k in ("srcset", "data-srcset"):
                    pic[0] += [c for c in parse_srcset(v or "") if not is_data_uri(c[0])]
            if pic[1] == 0:
                pic[1] = len(pic[0])
        if tag != "img":
            return
        self.classify(attrs)
        self.imgs += 1
        a = dict(attrs)
        if self.hiding:
            self.hidden += 1
        elif not any((a.get(k) or "").strip() for k in self.URL_ATTRS):
            self.no_url += 1
        if (a.get("src") or "").strip().lower().startswith("data:"):
            self.data_uri += 1
        if (a.get("width") or "").strip() == "1" and (a.get("height") or "").strip() == "1":
            self.one_by_one += 1

    def handle_endtag(self, tag):
        if tag in self.hiding:
            while self.hiding and self.hiding.pop() != tag:
                pass
        if tag == "picture" and self.pictures:
            self.pictures.pop()
        # An end tag closes the innermost open element of its name and all opened after it
        # (an unclosed <svg> or <div> inside); an end tag with no open element is ignored.
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                self.not_rendered -= sum(hides for _, hides in self.open[i:])
                del self.open[i:]
                break

    def track_rendering(self, tag, attrs):
        if tag in VOID:
            return
        hides = tag in self.NOT_RENDERED or any(k == "hidden" for k, _ in attrs)
        self.open.append((tag, hides))
        self.not_rendered += hides

    def classify(self, attrs):
        if self.not_rendered:
            self.images.append(["not_rendered", None])
            return
        width, height = pixels(first_attr(attrs, "width")), pixels(first_attr(attrs, "height"))
        if width == 1 and height == 1:
            self.images.append(["tracker_1x1", None])
            return
        src = (first_attr(attrs, "src") or "").strip(SPACE)
        lazy = ""
        for k, v in attrs:
            if k in self.LAZY_SRC and v and not lazy:
                lazy = v.strip(SPACE)
        lazy_srcset = next((v for k, v in attrs if k in self.LAZY_SRCSET and v), "")
        own = [c for v in (first_attr(attrs, "srcset") or "", lazy_srcset)
               for c in parse_srcset(v) if not is_data_uri(c[0])]
        url = None
        if src and not is_data_uri(src) and not is_placeholder(src):
            url = src
        elif lazy and not is_data_uri(lazy):
            url = lazy
        elif own or (self.pictures and self.pictures[-1][0]):
            # The img's own srcset describes this image; else the first <source> is shown.
            cands = own or self.pictures[-1][0][:max(self.pictures[-1][1], 1)]
            url = max(enumerate(cands), key=lambda ic: (srcset_rank(ic[1][1]), -ic[0]))[1][0]
        elif src and not is_data_uri(src):
            url = src
        if url is None:
            any_data = is_data_uri(src) or is_data_uri(lazy) or \
                "data:" in ((first_attr(attrs, "srcset") or "") + lazy_srcset).lower()
            self.images.append(["data_uri" if any_data else "without_url", None])
            return
        self.images.append(["stored", url])

    def resolved_images(self):
        """`images` with each stored URL resolved against <base href> and the page URL."""
        base = self.page_url
        if self.base is not None:
            base = resolve(self.page_url, self.base) or self.page_url
        return [[cls, url if url is None else (resolve(base, url) or strip_url(url))]
                for cls, url in self.images]


URI = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?\Z", re.S)


def resolve(base, ref):
    """RFC 3986 §5.2.2 (not urllib's urljoin: that drops an empty fragment "x.jpg#" and
    merges "//" in paths). None when `base` is not absolute and `ref` is relative."""
    r = URI.match(strip_url(ref)).groups()
    b = URI.match(base).groups()
    if r[0] is not None:
        scheme, auth, path, query = r[0], r[1], remove_dots(r[2]), r[3]
    else:
        if b[0] is None:
            return None
        scheme = b[0]
        if r[1] is not None:
            auth, path, query = r[1], remove_dots(r[2]), r[3]
        else:
            auth = b[1]
            if r[2] == "":
                path, query = b[2], (r[3] if r[3] is not None else b[3])
            else:
                if r[2].startswith("/"):
                    path = remove_dots(r[2])
                elif b[1] is not None and b[2] == "":
                    path = remove_dots("/" + r[2])
                else:
                    path = remove_dots(b[2][:b[2].rfind("/") + 1] + r[2])
                query = r[3]
    out = scheme + ":"
    if auth is not None:
        out += "//" + auth
    out += path
    if query is not None:
        out += "?" + query
    if r[4] is not None:
        out += "#" + r[4]
    return out


def remove_dots(path):
    """RFC 3986 §5.2.4."""
    out = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./") or path == "/.":
            path = "/" + path[3:]
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:]
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            i = path.find("/", 1)
            i = len(path) if i < 0 else i
            out.append(path[:i])
            path = path[i:]
    return "".join(out)


SPACE = " \t\n\f\r"
COMMENT_END = re.compile(r"--!?>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param", "keygen"}
PLACEHOLDER_WORDS = ("blank", "placeholder", "spacer", "pixel.gif", "1x1.", "transparent.",
                     "lazyload", "lazy.", "loading.gif", "grey.gif", "empty.gif")
PIXELS = re.compile(r"[ \t\n\f\r]*([0-9]+)(?:\.[0-9]*)?[ \t\n\f\r]*(?:px)?[ \t\n\f\r]*\Z", re.I)


def first_attr(attrs, name):
    """HTML: of repeated attributes the first counts."""
    return next((v for k, v in attrs if k == name), None)


def pixels(v):
    m = PIXELS.match(v or "")
    return int(m.group(1)) if m else None


def is_data_uri(url):
    return url.strip(SPACE).lower().startswith("data:")


def is_placeholder(url):
    """A src that only stands in for the real image (blank.gif, spacer, lazy-load stubs)."""
    url = url.strip(SPACE)
    if url in ("", "#", "about:blank"):
        return True
    name = re.split(r"[?#]", url, 1)[0].rsplit("/", 1)[-1].lower()
    return any(w in name for w in PLACEHOLDER_WORDS)


def strip_url(url):
    """What browsers do before parsing a URL: trim ASCII whitespace, drop tab and newline."""
    return url.strip(SPACE).replace("\t", "").replace("\n", "").replace("\r", "")


def parse_srcset(value):
    """HTML Living Standard, "parse a srcset attribute": [(url, descriptor)]."""
    out, i, n = [], 0, len(value)
    while True:
        while i < n and (value[i] in SPACE or value[i] == ","):
            i += 1
        if i >= n:
            return out
        j = i
        while j < n and value[j] not in SPACE:
            j += 1
        url, i = value[i:j], j
        if url.endswith(","):
            out.append((url.rstrip(","), ""))
            continue
        depth, j = 0, i
        while j < n and not (value[j] == "," and depth == 0):
            depth += {"(": 1, ")": -1}.get(value[j], 0)
            j += 1
        desc = value[i:j].strip(SPACE).lower()
        out.append((url, desc.split()[0] if desc.split() else ""))
        i = j + 1


def srcset_rank(desc):
    """Larger is the bigger image: width descriptors above densities, none is 1x."""
    m = re.match(r"([0-9.]+)([wx])\Z", desc or "")
    if not m:
        return 1.0
    try:
        v = float(m.group(1))
    except ValueError:
        return 1.0
    return 1e6 + v if m.group(2) == "w" else v


def check_manifest(result, manifest):
    """Differences between a scan and a gen_sample_warc.py manifest (empty list: they agree)."""
    out = []
    if result["by_type"] != manifest["counts"]["by_type"]:
        out.append(f"by_type: scan {result['by_type']} manifest {manifest['counts']['by_type']}")
    scanned = {p["record_id"]: p for p in result["html"]}
    exact_u = not any(d["category"] == "gzip" for d in manifest["defects"])
    for p in manifest["pages"]:
        s = scanned.pop(p["record_id"], None)
        if s is None:
            out.append(f"page not found: {p['uri']}")
            continue
        imgs = p["images"] if isinstance(p["images"], list) else None
        want = {"offset": p["offset"], "uri": p["uri"], "bytes": p["html_bytes"]}
        if exact_u:
            want["uoffset"] = p["uoffset"]
        if imgs is not None:
            want["imgs"] = len(imgs)
            want["img_data_uri"] = sum(1 for i in imgs
                                       if (i["src"] or "").strip().lower().startswith("data:"))
            want["img_1x1"] = sum(1 for i in imgs if i["width"] == 1 and i["height"] == 1)
        got = {k: s[k] for k in want}
        if got != want:
            out.append(f"page {p['uri']}: scan {got} manifest {want}")
    for n in manifest["non_200_html"]:
        scanned.pop(n["record_id"], None)
    out += [f"HTML record not in manifest: {s['uri']} at {s['offset']}" for s in scanned.values()]
    got_err = sorted((e["kind"], e["offset"]) for e in result["errors"])
    want_err = sorted((d["category"], d["offset"]) for d in manifest["defects"]
                      if d["category"] not in ("binary", "huge", "utf8"))
    if got_err != want_err:
        out.append(f"errors: scan {got_err} manifest defects {want_err}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--summary", action="store_true", help="omit the per-page list")
    ap.add_argument("--check-manifest", action="store_true",
                    help="compare with FILE.manifest.json (gen_sample_warc.py); exit 1 on a "
                         "difference")
    args = ap.parse_args(argv)
    if args.check_manifest:
        status = 0
        for p in args.files:
            with open(p + ".manifest.json", encoding="utf-8") as f:
                diffs = check_manifest(scan(p), json.load(f))
            print(f"{p}: {'OK' if not diffs else f'{len(diffs)} difference(s)'}")
            for d in diffs[:20]:
                print("  " + d)
            status |= bool(diffs)
        return status
    results = [scan(p, not args.summary) for p in args.files]
    json.dump(results[0] if len(results) == 1 else results, sys.stdout, indent=1,
              ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
