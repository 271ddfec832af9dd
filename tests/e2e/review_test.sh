#!/usr/bin/env bash
# review end to end, as a person uses it: a real run (pages with XSS strings in alt text and
# context, extract, merge, score against a local HTTP server inside a loopback-only network
# namespace, merge; predicted spans for some pairs), then
# `warcpairs review`: where it listens and what it refuses (no token, wrong token, other Host
# names, cross-origin and non-JSON writes, paths outside the API), the page in headless Chromium
# (tests/browser/check_review.py: accept with the mouse, edit and reject with the keyboard,
# reload, filter; screenshots), the decisions in SQLite (who, when, what; machine output kept),
# two servers and eight writers on one database at once (no decision lost or applied over a
# stale one), SIGTERM, export applying the decisions and analyze counting them.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
BIN=$WARCPAIRS_BIN
for tool in chromium chromedriver sqlite3 curl ss gnuplot; do
  command -v $tool > /dev/null || fail "$tool is missing (apt-get install -y chromium chromium-driver sqlite3 curl iproute2 gnuplot-nox)"
done
XSS1='<script>alert(1)</script>'
XSS2='"><img src=x onerror=alert(1)>'

mkdir files
$PY "$WARCPAIRS_SRC/tests/e2e/xss_pages.py" images files
serve_files files
PIDS=($SERVER)  # and the review servers started below
trap 'kill ${PIDS[@]} 2>/dev/null' EXIT
# Two pages pointing at the server; the first pair's alt text is the <script> string, every
# context has "Grüße" (byte and code-point offsets differ) and escaped markup.
$PY "$WARCPAIRS_SRC/tests/e2e/xss_pages.py" warc "$B" pages.warc --context 'Grüße &lt;b&gt;bold&lt;/b&gt;'
DB=run/warcpairs.sqlite
q() { sqlite3 "$DB" "$1"; }

echo "== a run: extract, merge, score, merge; predicted spans for the first three pairs"
"$BIN" extract -q --out run pages.warc > /dev/null
"$BIN" merge -q --out run > /dev/null
# --image-kinds all: the last image's class calls it an icon (xss_pages.py); this test reviews
# every pair. The default is checked below.
"$BIN" score -q --out run --allow-loopback --retries 0 --timeout 3 --connect-timeout 2 --image-kinds all > /dev/null
"$BIN" merge -q --out run > /dev/null
[ "$(q "SELECT count(*) FROM scores WHERE outcome = 'ok'")" = 6 ] || fail "6 images expected from the test server"
# Predictions as predict would store them: code-point spans of the context ("Grüße" is in
# each, so byte and code-point offsets differ).
$PY - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for image_id, context in db.execute("SELECT image_id, context FROM images ORDER BY image_id LIMIT 3").fetchall():
    assert "Grüße" in context, context
    start = context.index("bold"); end = start + len("bold and more")
    db.execute("INSERT INTO predictions(image_id, model, span_start, span_end, text, score) "
               "VALUES (?, 'fnv1a64:00000000000000aa', ?, ?, ?, 3.5)",
               (image_id, start, end, context[start:end]))
db.commit()
PY
MACHINE1=$(q "SELECT text FROM predictions WHERE image_id = 1")
MACHINE2=$(q "SELECT text FROM predictions WHERE image_id = 2")
[ "$MACHINE1" = "bold</b> and " ] || fail "prediction 1 is '$MACHINE1'"

echo "== where it listens, what it refuses"
expect_exit 2 "$BIN" review --out run --host 0.0.0.0
expect_contains "$OUT" "--allow-remote"
expect_exit 1 "$BIN" review --out nowhere
expect_contains "$OUT" "warcpairs merge"
start_review() {  # start_review URLFILE LOG [ARGS...]: starts a server, waits for its URL
  local url_file=$1 log=$2; shift 2
  "$BIN" review --out run --url-file "$url_file" --image-kinds all "$@" > "$log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [ -s "$url_file" ] && break; sleep 0.1; done
  [ -s "$url_file" ] || fail "review did not start: $(cat "$log")"
}
start_review url.txt review.log --reviewer default-reviewer
REVIEW=${PIDS[-1]}
URL=$(cat url.txt)
PORT=$(sed 's#^http://127.0.0.1:\([0-9]*\)/.*#\1#' <<<"$URL")
TOKEN=${URL#*token=}
[ "$(stat -c %a url.txt)" = 600 ] || fail "the URL file (it holds the token) is readable by others"
[ ${#TOKEN} = 32 ] || fail "token '$TOKEN'"
ss -ltnH | grep "127.0.0.1:$PORT " > /dev/null || fail "not listening on 127.0.0.1:$PORT: $(ss -ltnH)"
ss -ltnH | grep ":$PORT " | grep -v "127.0.0.1:$PORT " > /dev/null && fail "listening beyond loopback: $(ss -ltnH)"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
COOKIE="warcpairs_review_$PORT=$TOKEN"
H=http://127.0.0.1:$PORT
[ "$(code $H/)" = 403 ] || fail "the page without the token"
[ "$(code "$H/?token=0123456789abcdef0123456789abcdef")" = 403 ] || fail "a wrong token"
[ "$(code "$URL")" = 303 ] || fail "the token should become a cookie (303)"
[ "$(code -b "$COOKIE" $H/api/pairs)" = 200 ] || fail "the API with the cookie"
[ "$(code -b "$COOKIE" -H "Host: rebound.example:$PORT" $H/)" = 421 ] || fail "another Host name (DNS rebinding)"
for path in /warcpairs.sqlite /images/ /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /image/1/../../warcpairs.sqlite; do
  [ "$(code --path-as-is -b "$COOKIE" "$H$path")" = 404 ] || fail "$path should be 404"
done
[ "$(code -b "$COOKIE" -H 'Content-Type: text/plain' -d '{"image_id":1,"action":"reject"}' $H/api/decisions)" = 415 ] \
  || fail "a non-JSON write"
[ "$(code -b "$COOKIE" -H 'Content-Type: application/json' -H 'Origin: http://evil.example' \
      -d '{"image_id":1,"action":"reject"}' $H/api/decisions)" = 403 ] || fail "a cross-origin write"
[ "$(q 'SELECT count(*) FROM review_decisions')" = 0 ] || fail "a refused request wrote a decision"
curl -s -D - -o /dev/null -b "$COOKIE" $H/ | grep -i "^Content-Security-Policy: default-src 'none'" > /dev/null || fail "no CSP header"

echo "== the page in headless Chromium"
$PY "$WARCPAIRS_SRC/tests/browser/check_review.py" "$URL" --out "$SCRATCH/browser" --result decided.json \
  --reviewer "Ada Browser" --edit-text 'Ein <b>Boot</b> & "Fähre" am Abend' \
  --text "$XSS1" --text "$XSS2" --text "a cat & a dog" --span "1:$MACHINE1" --min-images 6 \
  || fail "browser check"
for shot in grid editing decided rejected; do
  [ -s "$SCRATCH/browser/$shot.png" ] || fail "screenshot $shot.png not saved"
done

echo "== the decisions in SQLite"
$PY - "$DB" decided.json "$MACHINE2" <<'PY' || fail "decisions in the database"
import json, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); d = json.load(open(sys.argv[2])); machine2 = sys.argv[3]
rows = db.execute("SELECT image_id, action, text, machine_text, reviewer, decided_at, replaces FROM review_decisions ORDER BY decision_id").fetchall()
assert [(r[0], r[1]) for r in rows] == [(d["accepted"], "accept"), (d["edited"], "edit"), (d["rejected"], "reject")], rows
for r in rows:
    assert r[4] == "Ada Browser", r                       # who
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r[5]), r  # when
    assert r[6] is None, r                                # each replaced "undecided"
edit = rows[1]
assert edit[2] == d["text"], edit                         # what, byte for byte
assert edit[3] == machine2, (edit, machine2)              # the machine's description then
assert rows[0][2] == rows[0][3]                           # accept records what was accepted
assert db.execute("SELECT text FROM predictions WHERE image_id = ?", (d["edited"],)).fetchone()[0] == machine2  # kept
assert db.execute("SELECT count(*) FROM review_current").fetchone()[0] == 3
print("decisions: who, when, what recorded; machine output kept")
PY

echo "== two servers, eight writers, one database"
start_review url2.txt review2.log
URL2=$(cat url2.txt)
$PY - "$URL" "$URL2" "$DB" <<'PY' || fail "concurrent writers"
import http.cookiejar, json, sqlite3, sys, threading, urllib.error, urllib.request
def opener(url):
    o = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    o.open(url).read()  # token -> cookie
    return o, url.split("/?")[0]
servers = [opener(u) for u in sys.argv[1:3]]
saved, conflicts, lock = [], [0], threading.Lock()
def writer(w):
    o, base = servers[w % 2]
    for i in range(15):
        image = 4 + (i + w) % 3
        hist = json.loads(o.open(f"{base}/api/pairs/{image}/history").read())
        seen = hist[-1]["decision_id"] if hist else 0
        body = json.dumps({"image_id": image, "action": "accept" if i % 2 else "reject", "expected": seen,
                           "reviewer": f"writer{w}"}).encode()
        req = urllib.request.Request(f"{base}/api/decisions", body, {"Content-Type": "application/json"})
        try:
            reply = json.loads(o.open(req).read())
            with lock: saved.append(reply["version"])
        except urllib.error.HTTPError as e:
            assert e.code == 409, e.code
            with lock: conflicts[0] += 1
threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
for t in threads: t.start()
for t in threads: t.join()
db = sqlite3.connect(sys.argv[3])
rows = db.execute("SELECT image_id, decision_id, replaces FROM review_decisions WHERE image_id BETWEEN 4 AND 6 ORDER BY image_id, decision_id").fetchall()
assert len(rows) == len(saved) and sorted(r[1] for r in rows) == sorted(saved), (len(rows), len(saved))
previous = {}
for image, decision, replaces in rows:  # an unbroken chain per pair: nothing lost, nothing over a stale state
    assert replaces == previous.get(image), (image, decision, replaces, previous.get(image))
    previous[image] = decision
assert len(saved) + conflicts[0] == 120 and len(saved) >= 3
print(f"concurrent: {len(saved)} saved, {conflicts[0]} conflicts, chains intact")
PY

echo "== SIGTERM stops a server cleanly"
kill -TERM "$REVIEW"
wait "$REVIEW" || fail "review exited $? on SIGTERM"
grep -q "decisions saved in this session" review.log || fail "no totals line: $(cat review.log)"

echo "== export applies the decisions"
ACCEPTED=$($PY -c 'import json; print(json.load(open("decided.json"))["accepted"])')
EDITED=$($PY -c 'import json; print(json.load(open("decided.json"))["edited"])')
REJECTED=$($PY -c 'import json; print(json.load(open("decided.json"))["rejected"])')
"$BIN" export -q --out run --image-kinds all --dest applied --format jsonl --span-model fnv1a64:00000000000000aa > /dev/null
"$BIN" export -q --out run --image-kinds all --dest ignored --format jsonl --span-model fnv1a64:00000000000000aa --review ignore > /dev/null
"$BIN" export -q --out run --image-kinds all --dest reviewed --format webdataset --span-model fnv1a64:00000000000000aa --review reviewed-only > /dev/null
$PY - "$ACCEPTED" "$EDITED" "$REJECTED" "$MACHINE2" "$DB" <<'PY' || fail "export and review decisions"
import json, sqlite3, sys, tarfile, glob
accepted, edited, rejected = map(int, sys.argv[1:4]); machine2 = sys.argv[4]
db = sqlite3.connect(sys.argv[5])
now = dict(db.execute("SELECT image_id, action FROM review_current"))  # the writers' pairs too
load = lambda d: {r["image_id"]: r for r in map(json.loads, open(f"{d}/pairs.jsonl"))}
applied, ignored = load("applied"), load("ignored")
assert rejected not in applied and rejected in ignored
e = applied[edited]
assert e["text"] == 'Ein <b>Boot</b> & "Fähre" am Abend' and e["review"] == "edited" and e["machine_text"] == machine2, e
assert applied[accepted]["review"] == "accepted"
assert ignored[edited]["text"] == machine2 and ignored[edited]["review"] is None
# Where each description came from: the person's edit, else the prediction, else the alt text.
predicted = {i for (i,) in db.execute("SELECT image_id FROM predictions WHERE text <> ''")}
assert e["description_source"] == "review" and ignored[edited]["description_source"] == "model", (e, ignored[edited])
for i, r in ignored.items():
    assert r["description_source"] == ("model" if i in predicted else "alt"), r
assert set(ignored) - set(applied) == {i for i, a in now.items() if a == "reject"}, (sorted(ignored), sorted(applied), now)
card = open("applied/README.md").read()
rejects = sum(a == "reject" for a in now.values())
assert "Review decisions up to #" in card and f"{rejects} rejected" in card, card
texts = {}
for p in glob.glob("reviewed/*.tar"):
    t = tarfile.open(p)
    for m in t:
        if m.name.endswith(".txt"):
            texts[int(m.name.split(".")[0])] = t.extractfile(m).read().decode()
# reviewed-only: exactly the pairs now accepted or edited (all six have images)
assert set(texts) == {i for i, a in now.items() if a in ("accept", "edit")}, (texts, now)
assert texts[edited] == e["text"] and accepted in texts and rejected not in texts, texts
print("export: rejected dropped, edit used, accepted marked; reviewed-only and ignore as documented")
PY
echo "== image kinds: by default the page shows content only and says what it left out"
"$BIN" review --out run --url-file kinds-url.txt > kinds.log 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -s kinds-url.txt ] && break; sleep 0.1; done
[ -s kinds-url.txt ] || fail "review did not start: $(cat kinds.log)"
KURL=$(cat kinds-url.txt)
KH=${KURL%%/?token=*}
KCOOKIE="warcpairs_review_$(sed 's#^http://127.0.0.1:\([0-9]*\)/.*#\1#' <<<"$KURL")=${KURL#*token=}"
shown=$(curl -s -b "$KCOOKIE" "$KH/api/pairs" | $PY -c 'import json, sys; print(json.load(sys.stdin)["total"])')
all=$(q "SELECT count(*) FROM image_kinds")
icons=$(q "SELECT count(*) FROM image_kinds WHERE kind <> 'content'")
[ "$icons" = 1 ] || fail "one image should not be content: $(q "SELECT kind, kind_reason FROM image_kinds")"
[ "$shown" = $((all - icons)) ] || fail "review showed $shown pairs, expected $((all - icons)) (content only)"
grep -q "pairs not shown by image kind (--image-kinds content): icon 1" kinds.log \
  || fail "review did not count the pairs it left out: $(cat kinds.log)"
kill ${PIDS[-1]}
expect_exit 2 "$BIN" review --out run --image-kinds nonsense
expect_contains "$OUT" "no kind 'nonsense'"
echo "== analyze counts the decisions"
"$BIN" analyze -q --out run > /dev/null
$PY - run/report/summary.json "$DB" <<'PY' || fail "analyze's review counts"
import json, sqlite3, sys
c = json.load(open(sys.argv[1]))["counts"]; db = sqlite3.connect(sys.argv[2])
assert c["review_decisions"] == db.execute("SELECT count(*) FROM review_decisions").fetchone()[0], c
for a in ("accept", "reject", "edit"):
    assert c["reviewed_" + a] == db.execute("SELECT count(*) FROM review_current WHERE action = ?", (a,)).fetchone()[0], (a, c)
assert c["reviewed_edit"] == 1
PY
echo "PASS (screenshots in $SCRATCH/browser)"
