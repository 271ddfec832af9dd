#!/usr/bin/env bash
# README's commands as written: every `build/warcpairs ...` (and sqlite3) line of its ```bash
# blocks, in order, on inputs made here (a small generated crawl, tiny random checkpoints under
# the names README uses), so README cannot drift from the code; then the examples of
# `warcpairs train --help`.
# Inside a loopback-only network namespace: score runs with its downloads failing (no network),
# which still checks its options and the CLIP checkpoint; review must start serving. A command
# that cannot run here would be listed in SKIP with the reason, printed.
source "$(dirname "$0")/in_netns.sh"  # loopback only
source "$(dirname "$0")/lib.sh"
VOCAB=$WARCPAIRS_SHARED/data/vocab/bert-base-uncased-vocab.txt
BPE=$WARCPAIRS_SHARED/data/vocab/clip-bpe_simple_vocab_16e6.txt.gz

# Commands (a substring of the line) that cannot run in a test, and why: only the CLIP search (score's
# downloads fail here, so the exports after it keep no pairs; every other command runs).
declare -A SKIP=(
  ["search --out run1 --clip"]="score's downloads fail here, so run1 keeps no CLIP embeddings to search (e2e.search_clip runs it on a loopback server)"
)
# What a command needs done first, when README shows it as an alternative to the one before.
declare -A BEFORE=(
  ["train --out run1 --model-config"]="rm -rf run1/model"  # "# or from random weights": a new model
)

# The names README uses: build/ (this build), crawl/, @more-files.txt, models/..., tiny/,
# vocab.txt, cleaners.toml, pairs.tsv, laion.parquet.
ln -s "$(dirname "$WARCPAIRS_BIN")" build
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out crawl --files 2 --size-mb 1 --pages 15 --seed 7 > /dev/null
$PY "$WARCPAIRS_SRC/tools/gen_sample_warc.py" --out more --files 1 --size-mb 0.5 --pages 5 --seed 8 > /dev/null
ls more/*.warc.gz > more-files.txt
cp "$VOCAB" vocab.txt
build/warcpairs checkpoint distilbert --dest models/distilbert-base-uncased --vocab vocab.txt > /dev/null
build/warcpairs checkpoint distilbert --dest tiny --vocab vocab.txt > /dev/null
build/warcpairs checkpoint clip --dest models/clip-vit-base-patch32 --bpe "$BPE" > /dev/null
printf '[cleaners]\nmin_words = 2\n' > cleaners.toml
printf 'url\tcaption\nhttps://images.example/a.jpg\ta red bicycle\n' > pairs.tsv
cp "$WARCPAIRS_SRC/tests/e2e/data/laion-sample.parquet" laion.parquet  # an img2dataset-style list

# One line per command: LINE<TAB>command (continuations joined, comments dropped).
$PY - "$WARCPAIRS_SRC/README.md" > commands.tsv <<'PY'
import shlex, sys
lines, block, start = [], None, 0
text = open(sys.argv[1]).read().split("\n")
k = 0
while k < len(text):
    line = text[k]
    if line.startswith("```"):
        block = line[3:].strip() if block is None else None
        k += 1
        continue
    if block == "bash":
        start = k + 1
        while line.endswith("\\"):
            k += 1
            line = line[:-1] + " " + text[k].strip()
        words = shlex.split(line, comments=True)
        if "build/warcpairs" in words or words[:1] == ["sqlite3"]:
            print(f"{start}\t{shlex.join(words)}")
    k += 1
PY
[ "$(wc -l < commands.tsv)" -ge 15 ] || fail "found only $(wc -l < commands.tsv) commands in README.md"

run_line() {  # LINE COMMAND: runs it, or says why not
  local where=$1 cmd=$2 key
  for key in "${!SKIP[@]}"; do
    if [[ $cmd == *"$key"* ]]; then echo "skipped README.md:$where: $cmd -- ${SKIP[$key]}"; return; fi
  done
  for key in "${!BEFORE[@]}"; do
    if [[ $cmd == *"$key"* ]]; then eval "${BEFORE[$key]}"; fi
  done
  echo "README.md:$where: $cmd"
  if [[ $cmd == *"warcpairs review"* ]]; then
    # A server that runs until stopped: it must start and print its address.
    set +e; OUT=$(timeout 10 bash -c "$cmd" 2>&1 < /dev/null); local got=$?; set -e
    [ "$got" -eq 124 ] || fail "README.md:$where: review ended (exit $got) instead of serving: $OUT"
    expect_contains "$OUT" "http://127.0.0.1:"
    return
  fi
  set +e; OUT=$(bash -c "$cmd" 2>&1 < /dev/null); local got=$?; set -e
  [ "$got" -eq 0 ] || fail "README.md:$where exits $got: $cmd
$OUT"
}
while IFS=$'\t' read -r where cmd; do run_line "$where" "$cmd"; done < commands.tsv

# The examples of `warcpairs train --help` (tiny/ is what `checkpoint distilbert` writes).
build/warcpairs train --help | sed -n 's|^  \(mpirun -np [0-9]* \)\{0,1\}warcpairs train |\1build/warcpairs train |p' > help.txt
[ "$(wc -l < help.txt)" -ge 2 ] || fail "train --help shows no examples"
while read -r cmd; do rm -rf run1/model; run_line "train --help" "$cmd"; done < help.txt
echo "readme: ok"
