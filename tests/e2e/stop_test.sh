# Graceful stop: SIGTERM to a single extract process and SIGUSR1 through mpirun (which
# forwards it to every rank) both end the run with exit 75 after committing the current
# part; SIGINT to mpirun (Ctrl-C: mpirun exits 1) leaves RUN/extract.stopped; running the same
# command again finishes with the same rows as an uninterrupted run and removes the marker.
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
[ -e term/extract.stopped ] || fail "term: no RUN/extract.stopped after exit 75"
stop_once usr1 USR1 mpirun -np 2 --oversubscribe "$W" extract --out usr1 in --part-pages 50

# Ctrl-C (SIGINT) to mpirun: Open MPI 4.1's mpirun sends the ranks SIGTERM (1 s later, SIGKILL)
# and exits 1 whatever they return, so the documented sign of "stopped, resume me" is
# RUN/extract.stopped.
# A script's background job starts with SIGINT ignored (and mpirun keeps it so): python puts
# the default back before it runs mpirun, as a terminal's Ctrl-C would find it.
$PY -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
  mpirun -np 2 --oversubscribe "$W" extract --out int in --part-pages 50 > int.log 2>&1 &
pid=$!
for ((i = 0; i < 300; i++)); do compgen -G "int/shards/*.p0000[0-9].h5" > /dev/null && break; sleep 0.05; done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
((rc != 0)) || fail "INT to mpirun: exit 0, expected a stop"
[ -e int/extract.stopped ] || { cat int.log; fail "INT to mpirun (exit $rc): no RUN/extract.stopped"; }
grep -q "run the same command again" int/extract.stopped || fail "RUN/extract.stopped does not say what to do"
echo "INT to mpirun: exit $rc, RUN/extract.stopped written"

for run in term usr1 int; do
  left=$(find "$run/shards" -name '*.last.h5' | wc -l)
  ((left < 6)) || fail "$run: the signal came after every file was done"
  expect_exit 0 "$W" extract -q --out "$run" in --part-pages 50
  expect_exit 0 "$W" merge -q --out "$run"
  cmp <(sqlite3 -readonly "$run/warcpairs.sqlite" < "$order") <(sqlite3 -readonly clean/warcpairs.sqlite < "$order") \
    || fail "$run: resumed run holds other rows than the clean run"
  [ ! -e "$run/extract.stopped" ] || fail "$run: RUN/extract.stopped left after the run finished"
  echo "$run: stopped with $left of 6 files done, resumed to the same rows"
done
# A failure is not a stop: a marker left by an earlier stop is gone once the stage starts again.
mkdir failed && echo stale > failed/extract.stopped && touch failed/shards   # shards/ cannot be made
expect_exit 1 "$W" extract -q --out failed in
[ ! -e failed/extract.stopped ] || fail "a failed extract left RUN/extract.stopped"
echo "stop: ok"
