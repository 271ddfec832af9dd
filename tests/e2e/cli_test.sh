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

printf '[extract]\ncontext-chars = "many"\n' > bad.toml
expect_exit 2 "$W" --config bad.toml extract --out r "$WARC"
echo "cli: ok"
