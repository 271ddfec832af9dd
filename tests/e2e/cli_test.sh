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

# --config after the subcommand (as `extract --help` and README show it) is read: an option set
# only in the file takes effect.
printf '[extract]\ncontext-chars = 40\n' > after.toml
expect_exit 0 "$W" extract -q --out after --config after.toml "$WARC"
expect_exit 0 "$W" merge -q --config=after.toml --out after
longest=$(sqlite3 after/warcpairs.sqlite "SELECT max(length(context)) FROM images")
[ "$longest" -le 80 ] || fail "--config after the subcommand was ignored (longest context $longest)"
# A misspelt key or section, or broken TOML, is exit 2 naming it, the line and the closest name.
printf '[extract]\ncontext-char = 40\n' > typo.toml
expect_exit 2 "$W" extract --config typo.toml --out r "$WARC"
expect_contains "$OUT" "typo.toml line 2: unknown key 'context-char' in [extract]; the closest option is 'context-chars'"
printf '[extrakt]\ncontext-chars = 40\n' > section.toml
expect_exit 2 "$W" --config section.toml extract --out r "$WARC"
expect_contains "$OUT" "section.toml line 1: unknown section [extrakt]; the closest subcommand is [extract]"
printf '[extract]\nout = "r"\ncontext-chars: 40\ninputs = ["%s"]\n' "$WARC" > broken.toml
expect_exit 2 "$W" extract --config broken.toml
expect_contains "$OUT" "broken.toml line 3: Error while parsing key-value pair: expected '=', saw ':': context-chars: 40"
printf '[extract]\nout = r\n' > unquoted.toml
expect_exit 2 "$W" extract --config unquoted.toml "$WARC"
expect_contains "$OUT" "unquoted.toml line 2: Error while parsing value: could not determine value type (text values need quotes): out = r"

# One spelling per option across subcommands; values checked by type and range (exit 2).
expect_exit 0 "$W" extract -q --out threads --threads 2 "$WARC"
expect_exit 0 "$W" extract -q --out threads2 --model-threads 2 "$WARC"   # the older spelling
for bad in "--min-width -5" "--min-height 2.5" "--min-words x" "--max-aspect-ratio 0.5" \
           "--near-duplicates 40" "--min-clip 2" "--exact-duplicates maybe" "--validation-fraction 1.5"; do
  # shellcheck disable=SC2086  # one option and its value
  expect_exit 2 "$W" export --out after --dest ds --format csv $bad
  expect_contains "$OUT" "${bad%% *}"
done
printf '[cleaners]\nmin_width = -5\n' > cleaners.toml
expect_exit 2 "$W" export --out after --dest ds --format csv --cleaners cleaners.toml
expect_contains "$OUT" "min_width: must be at least 0"
for bad in 0 1 -0.1; do
  expect_exit 2 "$W" train --out after --model-config none.json --validation-fraction $bad
  expect_contains "$OUT" "--validation-fraction"
done
# checkpoint writes to --dest like export; its old -o/--out still works.
if [ -x "$(dirname "$W")/warcpairs-torch" ]; then
  VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
  expect_exit 0 "$W" checkpoint distilbert --dest tiny --vocab "$VOCAB"
  expect_exit 0 "$W" checkpoint distilbert -o tiny-o --vocab "$VOCAB"
  [ -f tiny/config.json ] && [ -f tiny-o/config.json ] || fail "checkpoint --dest / -o wrote no config.json"
  # A stride that leaves no room in the window names both options and what to give.
  expect_exit 2 "$W" train --out after --model-config tiny/config.json --vocab tiny/vocab.txt --max-length 64 --stride 64
  expect_contains "$OUT" "--stride 64 leaves no room in a window of --max-length 64"
  expect_contains "$OUT" "give --stride below 62"

  # warcpairs without warcpairs-torch beside it: the message names the path it looked for.
  mkdir -p alone && cp "$W" alone/warcpairs
  expect_exit 1 alone/warcpairs train --out after --model-config tiny/config.json --vocab tiny/vocab.txt
  expect_contains "$OUT" "alone/warcpairs-torch: not found"
  expect_contains "$OUT" "copy both binaries into the same folder"
fi
echo "cli: ok"
