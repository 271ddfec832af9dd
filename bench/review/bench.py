#!/usr/bin/env python3
"""The review benchmark's two halves (bench/review/run.sh):

grow DB PAIRS     copies image rows up to PAIRS pairs, gives every pair a CLIP score and
                  decides 10 % of them, so the page's queries run on a run of realistic size;
measure DB URL N  times pages and decisions through the review server, and the same SQL on the
                  same database through Python's sqlite3 (the database work the page needs,
                  without HTTP, JSON or our code), best of N; prints a table.
"""
import http.client, json, sqlite3, statistics, sys, time, urllib.parse

# The statements ReviewStore runs for one page (src/store/review_store.cc), copied: the floor.
MACHINE = "COALESCE(NULLIF(pr.text, ''), i.alt)"
def pairs_from(scored_only):
    return ("FROM images i JOIN pages p ON p.page_id = i.page_id "
            + ("JOIN scores s ON s.image_id = i.image_id " if scored_only else "LEFT JOIN scores s ON s.image_id = i.image_id ")
            + "LEFT JOIN predictions pr ON pr.image_id = i.image_id AND pr.model = ?1 "
        "LEFT JOIN review_decisions d ON d.decision_id = "
            "(SELECT max(x.decision_id) FROM review_decisions x WHERE x.image_id = i.image_id) "
            f"WHERE {MACHINE} <> '' ")
FILTERS = {"all": "", "undecided": "AND (d.action IS NULL OR d.action = 'reset') ",
           "accepted": "AND d.action = 'accept' "}
# CLIP order reads the scored pairs through the scores_clip index (the pages measured here
# never reach the unscored ones, which follow by image_id).
ORDERS = {"id": (False, "", "ORDER BY i.image_id "),
          "clip-desc": (True, "AND s.clip_caption IS NOT NULL ", "ORDER BY s.clip_caption DESC, s.image_id DESC "),
          "clip-asc": (True, "AND s.clip_caption IS NOT NULL ", "ORDER BY s.clip_caption, s.image_id ")}
COLUMNS = ("i.image_id, p.url, p.title, i.url, i.alt, i.context, i.image_pos, pr.span_start, pr.span_end, "
           f"pr.score, {MACHINE}, s.clip_caption, s.clip_alt, s.width, s.height, s.outcome, "
           "s.key IS NOT NULL AND s.tar IS NOT NULL, i.width, i.height, d.decision_id, d.image_id, d.action, "
           "d.text, d.machine_text, d.reviewer, d.decided_at, d.replaces ")
COUNTS = ("SELECT d.action, count(*) FROM (SELECT max(decision_id) AS id FROM review_decisions "
          "GROUP BY image_id) m JOIN review_decisions d ON d.decision_id = m.id "
          "WHERE d.action <> 'reset' GROUP BY 1")  # + the pair count, cached


def grow(db_path, pairs):
    db = sqlite3.connect(db_path)
    cols = ("page_id, idx, url, src, srcset, alt, has_alt, title, width, height, figcaption, dom_path, "
            "context, image_pos, label_start, label_end")
    base = db.execute("SELECT max(image_id) FROM images").fetchone()[0]
    while db.execute("SELECT count(*) FROM images").fetchone()[0] < pairs:
        have = db.execute("SELECT count(*) FROM images").fetchone()[0]
        db.execute(f"INSERT INTO images ({cols}) SELECT {cols} FROM images WHERE image_id <= ? LIMIT ?",
                   (base, pairs - have))
    db.execute("INSERT INTO scores (image_id, url, caption, alt, outcome, detail, attempts, noai, clip_caption) "
               "SELECT image_id, url, alt, alt, 'ok', '', 1, 0, (image_id * 7919 % 1000) / 1000.0 FROM images")
    db.execute("INSERT INTO review_decisions (image_id, action, text, machine_text, reviewer, decided_at) "
               "SELECT image_id, 'accept', alt, alt, 'bench', '2026-01-01T00:00:00.000Z' FROM images "
               "WHERE image_id % 10 = 0 AND alt <> ''")
    db.commit()
    n = db.execute(f"SELECT count(*) FROM images i WHERE i.alt <> ''").fetchone()[0]
    print(f"run: {db.execute('SELECT count(*) FROM images').fetchone()[0]} images, {n} pairs, "
          f"{db.execute('SELECT count(*) FROM review_decisions').fetchone()[0]} decisions")


class Client:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port)
        self.conn.request("GET", "/?" + u.query)
        r = self.conn.getresponse()
        r.read()
        self.cookie = r.getheader("Set-Cookie").split(";")[0]

    def call(self, method, path, body=None):
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):  # keep-alive ended
            self.conn.close()
            self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            r = self.conn.getresponse()
        data = r.read()
        if r.status not in (200, 409):
            raise SystemExit(f"{method} {path}: HTTP {r.status} {data[:200]!r}")
        return json.loads(data)


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(db_path, url, runs):
    api = Client(url)
    db = sqlite3.connect(db_path)
    total = api.call("GET", "/api/pairs?limit=1")["total"]
    cases = [("first page, as found", "all", "id", 0), ("middle page, as found", "all", "id", total // 2),
             ("first page, CLIP best first", "all", "clip-desc", 0),
             ("undecided, CLIP worst first", "undecided", "clip-asc", 0), ("accepted only", "accepted", "id", 0)]
    print(f"{total} pairs; times are the median of 10 requests, best of {runs} runs\n")
    print("| request | review server ms | same SQL in sqlite3 ms | ratio (1 = no overhead) |")
    print("|---|---:|---:|---:|")
    for name, f, o, offset in cases:
        q = urllib.parse.urlencode({"filter": f, "order": o, "offset": offset, "limit": 24})
        ours = min(timed(lambda: api.call("GET", f"/api/pairs?{q}"), 10) for _ in range(runs))

        def sql():
            db.execute("SELECT count(*) FROM shards").fetchall()
            scored, where, order = ORDERS[o]
            db.execute("SELECT " + COLUMNS + pairs_from(scored) + where + FILTERS[f] + order + "LIMIT ?2 OFFSET ?3",
                       ("", 24, offset)).fetchall()
            db.execute(COUNTS).fetchall()
        floor = min(timed(sql, 10) for _ in range(runs))
        print(f"| {name} | {ours * 1e3:.1f} | {floor * 1e3:.1f} | {ours / floor:.2f} |")

    # Decisions: one durable transaction each (synchronous=FULL), like the floor below.
    undecided = [p["image_id"] for p in api.call("GET", "/api/pairs?filter=undecided&limit=200")["pairs"]]
    n = len(undecided)
    t = time.perf_counter()
    for image in undecided:
        api.call("POST", "/api/decisions", {"image_id": image, "action": "reject", "expected": 0})
    ours = (time.perf_counter() - t) / n
    db.execute("PRAGMA synchronous = FULL")
    db.isolation_level = None
    t = time.perf_counter()
    for image in undecided:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO review_decisions (image_id, action, machine_text, reviewer, decided_at) "
                   "VALUES (?, 'reset', '', 'floor', '')", (image,))
        db.execute("COMMIT")
    floor = (time.perf_counter() - t) / n
    print(f"| decision (POST, {n} in a row), per decision | {ours * 1e3:.1f} | {floor * 1e3:.1f} (insert + fsync) | {ours / floor:.2f} |")


if __name__ == "__main__":
    if sys.argv[1] == "grow":
        grow(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
