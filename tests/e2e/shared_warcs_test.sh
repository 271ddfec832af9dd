# Every real WARC file in ../shared/data/warc (written by other projects) under mpirun -np 3,
# compared with the independent reference scanner, record by record and page by page; the
# same database (full .dump) under -np 1 and -np 2.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
DATA="$WARCPAIRS_SHARED/data/warc"
[ -d "$DATA" ] || fail "$DATA is missing: the end-to-end tests need ../shared beside the project"
expect_exit 0 mpirun_np 3 "$W" extract --out run "$DATA"
expect_contains "$OUT" "19 files"
expect_exit 0 "$W" merge --out run
$PY "$WARCPAIRS_SRC/tests/e2e/compare_reference.py" run/warcpairs.sqlite "$DATA"/*.warc*
sqlite3 run/warcpairs.sqlite .dump > dump3.sql
for np in 1 2; do
  expect_exit 0 mpirun_np $np "$W" extract -q --out run$np "$DATA"
  expect_exit 0 "$W" merge -q --out run$np
  sqlite3 run$np/warcpairs.sqlite .dump | cmp - dump3.sql || fail "-np $np and -np 3 databases differ"
done
# Spot checks written from reading the files (SOURCES.md and by hand):
DB=run/warcpairs.sqlite
q() { sqlite3 $DB "$1"; }
[ "$(q "SELECT count(*) FROM files WHERE status='unreadable'")" = 0 ] || fail "a shared file was unreadable"
[ "$(q "SELECT count(*) FROM pages p JOIN files f USING(file_id) WHERE f.path LIKE '%pywb-iana.warc.gz'")" = 16 ] || fail "iana pages"
[ "$(q "SELECT charset FROM pages WHERE url='http://01spb.ru/company/'")" = windows-1251 ] || fail "windows-1251 page"
[ "$(q "SELECT i.url FROM images i JOIN pages p USING(page_id) WHERE p.url='http://01spb.ru/company/' AND i.idx=0")" = "http://01spb.ru/logo.png" ] || fail "relative URL resolution"
# The Cyrillic alt of that logo decodes from windows-1251 to UTF-8.
[ "$(q "SELECT i.alt FROM images i JOIN pages p USING(page_id) WHERE p.url='http://01spb.ru/company/' AND i.idx=0")" = "Стратегия пожарной безопасности" ] || fail "windows-1251 alt text"
echo "shared WARCs: ok"
