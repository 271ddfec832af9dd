#!/usr/bin/env bash
# Parquet against an independent implementation (hyparquet + hyparquet-writer, npm, in
# tests/parquet_peers), both directions, on files with nulls, empty, long and non-ASCII strings,
# big binary values and many row groups and pages:
#   their writer (SNAPPY and UNCOMPRESSED, data pages v2, dictionaries) -> our reader: equal rows;
#   our writer (zstd, data pages v1, dictionaries with the PLAIN fallback) -> their reader: equal rows;
#   an encoding we do not read (DELTA_BINARY_PACKED) -> a clear error naming file and column.
# Usage (ctest): parquet_peers_test.sh PARQUET_JSON
source "$(dirname "$0")/lib.sh"
TOOL=$1
PEERS=$WARCPAIRS_SRC/tests/parquet_peers
command -v node >/dev/null || fail "node not found (bash env/install-debian.sh installs nodejs and npm)"
if [ ! -d "$PEERS/node_modules/hyparquet-writer" ]; then
  command -v npm >/dev/null || fail "npm not found (bash env/install-debian.sh)"
  (cd "$PEERS" && npm ci --no-audit --no-fund) || fail "npm ci in tests/parquet_peers failed"
fi
compare() {  # compare A.jsonl B.jsonl: the same rows, value for value
  $PY - "$1" "$2" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
if len(a) != len(b):
    sys.exit(f"{len(a)} rows vs {len(b)}")
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        diff = {k: (str(x.get(k))[:60], str(y.get(k))[:60]) for k in set(x) | set(y) if x.get(k) != y.get(k)}
        sys.exit(f"row {i} differs: {diff}")
print(f"{len(a)} rows equal")
PY
}

echo "== their writer -> our reader"
node "$PEERS/crosscheck.mjs" write theirs
for f in theirs/*.expected.jsonl; do
  name=$(basename "$f" .expected.jsonl)
  "$TOOL" dump "theirs/$name.parquet" > "theirs/$name.ours.jsonl" || fail "our reader failed on hyparquet's $name.parquet"
  compare "$f" "theirs/$name.ours.jsonl" || fail "our reader differs from what hyparquet-writer wrote in $name.parquet"
done
expect_exit 1 "$TOOL" dump theirs/unsupported_delta.parquet
expect_contains "$OUT" "column n of row group 0: encoding DELTA_BINARY_PACKED is not supported"
expect_contains "$OUT" "theirs/unsupported_delta.parquet"

echo "== our writer -> their reader"
$PY - <<'PY'
import json, random
r = random.Random(7)
words = ["", "a cat", "Zürich – Straße", "日本語のテキスト", "emoji 🐈‍⬛", "y" * 80000]
cols = [{"name": "id", "type": "int64"}, {"name": "s", "type": "string"}, {"name": "d", "type": "double"},
        {"name": "b", "type": "bool"}, {"name": "bin", "type": "binary"},
        {"name": "bytes", "type": "binary", "group": "image"}, {"name": "path", "type": "string", "group": "image"}]
def row(i, unique):
    s = None if r.random() < 0.15 else (f"unique {i} " + "ü" * (i % 40) if unique and r.random() < 0.5 else r.choice(words))
    big = r.random() < 0.01
    return [None if r.random() < 0.2 else r.randrange(-2**53, 2**53), s,
            None if r.random() < 0.3 else r.uniform(-1e6, 1e6), None if r.random() < 0.1 else r.random() < 0.5,
            None if r.random() < 0.2 else {"hex": (bytes(range(256)) * 1200).hex() if big else ("" if r.random() < 0.1 else "00ff10")},
            None if r.random() < 0.1 else {"hex": "ffd8ff" + "%04x" % i}, f"{i:09d}.jpg"]
# many row groups and small pages; one group of mostly unique strings (dictionary fallback)
specs = {"many_groups": {"columns": cols, "row_group_rows": 97, "page_bytes": 4096, "rows": [row(i, False) for i in range(1500)]},
         "unique_strings": {"columns": cols, "rows": [row(i, True) for i in range(3000)]},
         "empty": {"columns": cols, "rows": []}}
for name, spec in specs.items():
    json.dump(spec, open(f"{name}.spec.json", "w"))
    with open(f"{name}.expected.jsonl", "w") as out:
        for v in spec["rows"]:
            obj = {}
            for c, x in zip(cols, v):
                obj[(c["group"] + "." if c.get("group") else "") + c["name"]] = x
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
PY
for name in many_groups unique_strings empty; do
  "$TOOL" write $name.spec.json $name.parquet || fail "our writer failed on $name"
  node "$PEERS/crosscheck.mjs" read $name.parquet > $name.theirs.jsonl || fail "hyparquet could not read our $name.parquet"
  compare $name.expected.jsonl $name.theirs.jsonl || fail "hyparquet reads other values from our $name.parquet"
done
echo "parquet peers: ok"
