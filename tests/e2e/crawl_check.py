#!/usr/bin/python3
"""Checks a crawl's WARC files against the site generator's lists (tests/net/crawl_site.py).

Usage: crawl_check.py RUN SITE_DIR [--access-log]
Reads every RUN/warc/*.warc.gz with Python's gzip (an independent reader: not warcpairs'),
and asserts: each response record's WARC-Target-URI once; that set == SITE/expected.txt;
every response has a request record concurrent to it; no URL of SITE/never.txt stored; with
--access-log, no URL of SITE/disallowed.txt or never.txt (other than stored ones) in
SITE/access.log, and the Crawl-delay host's requests at least 0.45 s apart. Prints a summary
line; exits 1 with the differences otherwise.
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
    files = sorted(glob.glob(os.path.join(run, "warc", "*.warc.gz")))
    for f in files:
        for fields, block in records(f):
            t = fields.get("warc-type")
            if t == "response":
                responses[fields["warc-target-uri"]] += 1
                response_ids[fields["warc-record-id"]] = fields["warc-target-uri"]
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
    missing_req = [u for i, u in response_ids.items() if i not in request_for]
    if missing_req:
        errors.append(f"{len(missing_req)} responses without a request record: {missing_req[:5]}")
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
    print(f"crawl_check: {len(files)} WARC files, {sum(responses.values())} responses, "
          f"{len(got & expected)} of {len(expected)} expected URLs")
    for e in errors:
        print("FAIL: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
