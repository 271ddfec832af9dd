# Graceful stop: SIGTERM to a single extract process and SIGUSR1 through mpirun (which
# forwards it to every rank) both end the run with exit 75 after committing the current
# part; running the same command again finishes with the same rows as an uninterrupted run.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out in --files 6 --size-mb 6 --seed 61 --manifest pages >/dev/null 2>&1
"$W" extract -q --out clean in --part-pages 50 >/dev/null 2>&1 || fail "clean extract"
"$W" merge -q --out clean >/dev/null || fail "clean merge"
order="$WARCPAIRS_SRC/tools/ordered_dump.sql"

# Starts CMD in the background, waits for the first committed part of RUN, sends SIGNAL to
# PID_OF (the launcher or the process), and expects exit 75.
stop_once() {
  local run=$1 signal=$2; shift 2
  "$@" > "$run.log" 2>&1 &
  local pid=$!
  for ((i = 0; i < 300; i++)); do compgen -G "$run/shards/*.p0000[0-9].h5" > /dev/null && break; sleep 0.05; done
  kill -s "$signal" "$pid"
  local rc=0
  wait "$pid" || rc=$?
  ((rc == 75)) || { cat "$run.log"; fail "$signal: exit $rc, expected 75"; }
  grep -q "run the same command again" "$run.log" || fail "$signal: no resume hint in the output"
  ! compgen -G "$run/shards/*.tmp" > /dev/null || fail "$signal: temporary shards left behind"
}

stop_once term TERM "$W" extract --out term in --part-pages 50
stop_once usr1 USR1 mpirun -np 2 --oversubscribe "$W" extract --out usr1 in --part-pages 50
for run in term usr1; do
  left=$(find "$run/shards" -name '*.last.h5' | wc -l)
  ((left < 6)) || fail "$run: the signal came after every file was done"
  expect_exit 0 "$W" extract -q --out "$run" in --part-pages 50
  expect_exit 0 "$W" merge -q --out "$run"
  cmp <(sqlite3 -readonly "$run/warcpairs.sqlite" < "$order") <(sqlite3 -readonly clean/warcpairs.sqlite < "$order") \
    || fail "$run: resumed run holds other rows than the clean run"
  echo "$run: stopped with $left of 6 files done, resumed to the same rows"
done
echo "stop: ok"
