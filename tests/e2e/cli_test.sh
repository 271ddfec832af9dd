# The command-line contract: help with examples, exit 2 with a useful message on bad
# command lines and configs, TOML config files for every option.
source "$(dirname "$0")/lib.sh"
W=$WARCPAIRS_BIN
WARC="$WARCPAIRS_SHARED/data/warc/jwarc-cc.warc.gz"

expect_exit 0 "$W" --help;          expect_contains "$OUT" "Examples:"
expect_exit 0 "$W" extract --help;  expect_contains "$OUT" "Examples:"; expect_contains "$OUT" "--context-chars"
expect_exit 0 "$W" merge --help;    expect_contains "$OUT" "Examples:"
expect_exit 2 "$W";                                   # no subcommand
expect_exit 2 "$W" frobnicate
expect_exit 2 "$W" extract "$WARC";                   expect_contains "$OUT" "--out"
expect_exit 2 "$W" extract --out r --context-chars=-5 "$WARC"
expect_exit 2 "$W" extract --out r --max-record-mb zero "$WARC"
expect_exit 2 "$W" extract --out r "$SCRATCH/empty-dir-*.warc.gz"; expect_contains "$OUT" "no input WARC files"
expect_exit 2 "$W" extract --out r @"$SCRATCH/no-such-list.txt"; expect_contains "$OUT" "input list"
expect_exit 2 "$W" merge --out "$SCRATCH/nothing-here";           expect_contains "$OUT" "extract"
expect_exit 2 "$W" --config "$SCRATCH/missing.toml" merge --out x

# A TOML config sets subcommand options in its section; the command line may add more.
cat > extract.toml <<TOML
[extract]
out = "$SCRATCH/from-config"
context-chars = 40
inputs = ["$WARC"]
TOML
expect_exit 0 "$W" --config extract.toml extract
[ -n "$(ls "$SCRATCH"/from-config/shards/*.h5)" ] || fail "config run wrote no shard"
expect_exit 0 "$W" merge --out "$SCRATCH/from-config"
longest=$(sqlite3 "$SCRATCH/from-config/warcpairs.sqlite" "SELECT max(length(context)) FROM images")
[ "$longest" -le 80 ] || fail "context-chars=40 from the config was not applied (longest context $longest)"

# Progress in a log: plain lines, no carriage returns; the last one says 100%. Stats files.
"$W" extract --out prog --progress-seconds 0.01 "$WARCPAIRS_SHARED/data/warc" 2> progress.log > /dev/null
grep -q "extract: 100.0% files 19/19 | .* pages/s | ETA" progress.log || { cat progress.log; fail "no final progress line"; }
! grep -q $'\r' progress.log || fail "carriage returns in a log file"
[ -s prog/extract-stats.json ] && [ -s prog/logs/extract.rank0.log ] || fail "no stats JSON or rank log"
grep -q '"files": 19' prog/extract-stats.json || fail "extract-stats.json lacks the file count"
expect_exit 0 "$W" merge -q --out prog
grep -q '"files": 19' prog/merge-stats.json || fail "merge-stats.json lacks the file count"
expect_exit 0 "$W" extract -q --out prog "$WARCPAIRS_SHARED/data/warc"
[ "$(wc -l < prog/logs/extract-attempts.jsonl)" = 2 ] || fail "extract-attempts.jsonl keeps one line per attempt"

# One extract job per run folder: while another process holds RUN/.extract.lock (here
# util-linux flock(1), as a running job would), extract refuses and names the lock; once it is
# released, the same command runs. merge is not locked (SQLite serialises merges).
command -v flock > /dev/null || fail "flock (util-linux) is missing"
flock -o prog/.extract.lock sleep 30 &  # -o: flock itself holds the lock, not sleep
HOLDER=$!
for _ in $(seq 50); do ! flock -n prog/.extract.lock true 2>/dev/null && break; sleep 0.1; done
expect_exit 1 "$W" extract -q --out prog "$WARCPAIRS_SHARED/data/warc"
expect_contains "$OUT" "another \`warcpairs extract\` is running on this run folder"
expect_contains "$OUT" "prog/.extract.lock"
mpirun_np 2 "$W" extract -q --out prog "$WARCPAIRS_SHARED/data/warc" > mpi-locked.log 2>&1 \
  && fail "extract under mpirun ran beside a lock holder"
grep -q "another \`warcpairs extract\` is running" mpi-locked.log || fail "2 ranks: no refusal message: $(cat mpi-locked.log)"
kill $HOLDER; wait $HOLDER 2>/dev/null || true
expect_exit 0 "$W" extract -q --out prog "$WARCPAIRS_SHARED/data/warc"

printf '[extract]\ncontext-chars = "many"\n' > bad.toml
expect_exit 2 "$W" --config bad.toml extract --out r "$WARC"
echo "cli: ok"
