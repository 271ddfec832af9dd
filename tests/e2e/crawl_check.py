#!/usr/bin/python3
"""Checks a crawl's WARC files against the site generator's lists (tests/net/crawl_site.py).

Usage: crawl_check.py RUN SITE_DIR [--access-log]
Reads every RUN/warc/*.warc.gz with Python's gzip (an independent reader: not warcpairs'),
and asserts: each response or revisit record's WARC-Target-URI once; that set ==
SITE/expected.txt; every response and revisit has a request record concurrent to it; every
revisit (WARC 1.1 identical-payload-digest profile) refers to a stored response by
WARC-Refers-To-Target-URI and -Date, with that response's payload digest; of the site's pair
with the same content (/dup-a, /dup-b) exactly one is a response and the other a revisit; for
every payload held by several URLs (complete 2xx, non-empty, robots.txt apart) the response is
at the smallest URL and the others are revisits of it (the crawler's rule, whatever the timing);
no URL of SITE/never.txt stored; with
--access-log, no URL of SITE/disallowed.txt or never.txt (other than stored ones) in
SITE/access.log, and the Crawl-delay host's requests at least 0.45 s apart. Prints a summary
line; exits 1 with the differences otherwise. With --signature FILE, writes the sorted
"TYPE URI REFERS-TO" lines of the response and revisit records (to compare two crawls).
"""
import collections
import glob
import gzip
import os
import sys


def records(path):
    data = gzip.open(path).read()
    pos = 0
    while pos < len(data):
        end = data.index(b"\r\n\r\n", pos)
        head = data[pos:end].decode("utf-8", "replace").split("\r\n")
        fields = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            fields[k.strip().lower()] = v.strip()
        n = int(fields["content-length"])
        yield fields, data[end + 4:end + 4 + n]
        pos = end + 4 + n + 4


def main():
    run, site = sys.argv[1], sys.argv[2]
    responses = collections.Counter()
    request_for = set()
    response_ids = {}
    firsts = {}     # response URI -> (WARC-Date, WARC-Payload-Digest)
    revisits = []   # header fields of each revisit
    by_digest = collections.defaultdict(list)  # payload digest -> [(uri, type)], dedup-eligible
    signature = []
    empty = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
    files = sorted(glob.glob(os.path.join(run, "warc", "*.warc.gz")))
    for f in files:
        for fields, block in records(f):
            t = fields.get("warc-type")
            if t in ("response", "revisit"):
                uri = fields["warc-target-uri"]
                responses[uri] += 1
                response_ids[fields["warc-record-id"]] = uri
                signature.append(f"{t} {uri} {fields.get('warc-refers-to-target-uri', '-')}")
                status = block.split(b" ", 2)[1] if block.startswith(b"HTTP/") else b""
                if (status.startswith(b"2") and not uri.endswith("/robots.txt")
                        and "warc-truncated" not in fields and fields.get("warc-payload-digest") != empty):
                    by_digest[fields.get("warc-payload-digest")].append((uri, t))
            if t == "response":
                firsts[fields["warc-target-uri"]] = (fields.get("warc-date"), fields.get("warc-payload-digest"))
            elif t == "revisit":
                revisits.append(fields)
            elif t == "request":
                request_for.add(fields.get("warc-concurrent-to"))
    lines = lambda name: set(open(os.path.join(site, name)).read().split())
    expected, never = lines("expected.txt"), lines("never.txt")
    errors = []
    twice = [u for u, n in responses.items() if n > 1]
    if twice:
        errors.append(f"{len(twice)} URL(s) stored more than once, e.g. {twice[:5]}")
    got = set(responses)
    if got - expected:
        errors.append(f"{len(got - expected)} stored but not expected: {sorted(got - expected)[:10]}")
    if expected - got:
        errors.append(f"{len(expected - got)} expected but not stored: {sorted(expected - got)[:10]}")
    if got & never:
        errors.append(f"stored URLs that must never be requested: {sorted(got & never)[:10]}")
    profile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    for r in revisits:
        ref = firsts.get(r.get("warc-refers-to-target-uri"))
        if r.get("warc-profile") != profile:
            errors.append(f"revisit of {r['warc-target-uri']}: WARC-Profile {r.get('warc-profile')}")
        elif ref is None:
            errors.append(f"revisit of {r['warc-target-uri']} refers to {r.get('warc-refers-to-target-uri')}, "
                          "which no response holds")
        elif ref != (r.get("warc-refers-to-date"), r.get("warc-payload-digest")):
            errors.append(f"revisit of {r['warc-target-uri']}: Refers-To-Date and payload digest "
                          f"{(r.get('warc-refers-to-date'), r.get('warc-payload-digest'))} != the response's {ref}")
    dups = sorted(u for u in expected if u.endswith(("/dup-a", "/dup-b")))
    if dups:
        kinds = sorted((("response" if u in firsts else "revisit"), u) for u in dups)
        rev = [r for r in revisits if r["warc-target-uri"] in dups]
        if len(dups) != 2 or [k for k, _ in kinds] != ["response", "revisit"] or len(rev) != 1 \
                or rev[0].get("warc-refers-to-target-uri") != kinds[0][1]:
            errors.append(f"the pair with the same content is not one response and one revisit of it: {kinds}")
    for digest, held in by_digest.items():
        if len(held) < 2:
            continue
        owner = min(u for u, _ in held)
        want = sorted((u, "response" if u == owner else "revisit") for u, _ in held)
        if sorted(held) != want:
            errors.append(f"payload {digest}: records {sorted(held)[:4]} are not one response at the "
                          f"smallest URL {owner} and revisits")
    refers = {r["warc-target-uri"]: r.get("warc-refers-to-target-uri") for r in revisits}
    for digest, held in by_digest.items():
        owner = min(u for u, _ in held)
        bad = [u for u, t in held if t == "revisit" and refers.get(u) != owner]
        if bad:
            errors.append(f"payload {digest}: revisits {bad[:3]} do not refer to {owner}")
    if "--signature" in sys.argv:
        with open(sys.argv[sys.argv.index("--signature") + 1], "w") as f:
            f.write("".join(line + "\n" for line in sorted(signature)))
    missing_req = [u for i, u in response_ids.items() if i not in request_for]
    if missing_req:
        errors.append(f"{len(missing_req)} responses/revisits without a request record: {missing_req[:5]}")
    if "--access-log" in sys.argv:
        ports = dict(l.split() for l in open(os.path.join(site, "ports.txt")))
        requested, times = set(), collections.defaultdict(list)
        for line in open(os.path.join(site, "access.log")):
            t, host, path = line.split(" ", 2)
            path = path.rstrip("\n")
            requested.add(f"http://{host}:{ports[host]}{path}")
            times[host].append(float(t))
        bad = requested & (never | lines("disallowed.txt"))
        if bad:
            errors.append(f"requested URLs that robots.txt or the rules forbid: {sorted(bad)[:10]}")
        d = sorted(times.get("delay.site-d.test", []))
        gaps = [b - a for a, b in zip(d, d[1:])]
        # Per crawl (a gap over 5 s starts the next one in the log), the first request after
        # robots.txt comes before its Crawl-delay is known; the others keep it.
        kept, first = [], True
        for g in gaps:
            if g > 5:
                first = True
                continue
            if not first:
                kept.append(g)
            first = False
        if len(d) < 6 or min(kept, default=1) < 0.45:
            errors.append(f"Crawl-delay 0.5 not kept on delay.site-d.test: gaps {gaps}")
    shared = sum(1 for held in by_digest.values() if len(held) > 1)
    print(f"crawl_check: {len(files)} WARC files, {len(firsts)} responses, {len(revisits)} revisits "
          f"({shared} payloads held by several URLs, each a response at the smallest), "
          f"{len(got & expected)} of {len(expected)} expected URLs")
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
