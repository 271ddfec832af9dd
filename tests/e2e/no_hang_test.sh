# When one rank dies (SIGKILL in the middle of a record), the other ranks end instead of
# waiting forever, the dead rank's own log names the file it had in flight, and rerunning the
# same command finishes the work with the same content as an uninterrupted run.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out in --files 4 --size-mb 2 --seed 41 --manifest pages >/dev/null 2>&1
mpirun_np 3 "$W" extract -q --out clean in --part-pages 30 >/dev/null 2>&1 || fail "clean extract"
"$W" merge -q --out clean >/dev/null || fail "clean merge"

# The 150th record one rank reads kills it; mpirun must bring the job down within 60 s.
start=$SECONDS
set +e
WARCPAIRS_CRASH_AT=extract_record:150 timeout 60 mpirun -np 3 --oversubscribe "$W" extract -q \
  --out run in --part-pages 30 > killed.log 2>&1
rc=$?
set -e
((rc != 124)) || fail "the job hung after a rank died (timeout 60 s)"
((rc != 0)) || fail "a rank was killed but the job exited 0"
echo "job ended with exit $rc after $((SECONDS - start)) s"
# Some rank's log ends with the file it was working on ("begin ... FILE" and nothing after).
inflight=""
for log in run/logs/extract.rank*.log; do
  last=$(tail -n1 "$log")
  [[ $last == *"] begin ["* ]] && inflight=${last##* }
done
[ -n "$inflight" ] || { tail -n2 run/logs/*.log; fail "no rank log names a file in flight"; }
echo "in flight when the rank died: $inflight"

expect_exit 0 mpirun_np 3 "$W" extract -q --out run in --part-pages 30
expect_exit 0 "$W" merge -q --out run
order="$WARCPAIRS_SRC/tools/ordered_dump.sql"
cmp <(sqlite3 -readonly run/warcpairs.sqlite < "$order") <(sqlite3 -readonly clean/warcpairs.sqlite < "$order") \
  || fail "rerun after the kill holds other rows than the clean run"
echo "no hang: ok"
