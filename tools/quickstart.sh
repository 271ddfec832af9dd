#!/usr/bin/env bash
# The quick start: install, build, generate a sample crawl, extract on 2 MPI ranks, merge,
# and show what came out. Runs on a fresh Debian 12 machine; needs nothing from ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1   # harmless when not root

bash env/install-debian.sh --runtime
bash tools/build.sh -DWARCPAIRS_TESTS=OFF -DWARCPAIRS_BENCH=OFF -DWARCPAIRS_MODEL=OFF

SAMPLE=sample/warc RUN=run-quickstart
echo "== generating a sample crawl in $SAMPLE"
python3 tools/gen_sample_warc.py --out "$SAMPLE" --files 4 --size-mb 8 --seed 1
rm -rf "$RUN"

echo "== extract on 2 MPI ranks"
mpirun -np 2 --oversubscribe build/warcpairs extract --out "$RUN" "$SAMPLE"
echo "== merge"
build/warcpairs merge --out "$RUN"

DB="$RUN/warcpairs.sqlite"
echo "== what is in $DB"
sqlite3 -header -column "$DB" "
  SELECT (SELECT count(*) FROM files) AS files, (SELECT count(*) FROM pages) AS pages,
         (SELECT count(*) FROM images) AS images,
         (SELECT count(*) FROM images WHERE label_start IS NOT NULL) AS training_candidates,
         (SELECT count(*) FROM skips) AS skipped_records;"
echo
echo "== a few image-context pairs (the [bracketed] span is the training label: the alt text found in the context)"
sqlite3 -separator $'\t' "$DB" "
  SELECT url, alt,
         replace(substr(context, max(1, label_start - 80 + 1), label_start - max(0, label_start - 80))
           || '[' || substr(context, label_start + 1, label_end - label_start) || ']'
           || substr(context, label_end + 1, 80), char(10), ' ')
  FROM images WHERE label_start IS NOT NULL AND length(alt) >= 25 ORDER BY image_id LIMIT 5;" |
  while IFS=$'\t' read -r url alt ctx; do
    printf 'image:   %s\nalt:     %s\ncontext: ...%s...\n\n' "$url" "$alt" "$ctx"
  done
echo "Run directory: $RUN (shards in $RUN/shards, totals in $RUN/extract-stats.json)"
echo "Next: build/warcpairs review --out $RUN   # look at the pairs in your browser, accept/reject/edit them"
