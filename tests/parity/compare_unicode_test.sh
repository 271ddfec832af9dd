#!/usr/bin/env bash
# compare.mjs against a reference engine of another Unicode version: a string holding a code
# point assigned in only one of the two versions is left out and counted; nothing else is, and
# with the same version nothing is. Synthetic files: the strings' token lists are made to differ.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node not found (bash env/install-debian.sh installs nodejs)"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
now=$(node -p process.versions.unicode)
# Line 1 the same on both sides; line 2 holds U+16EC4 (assigned in Unicode 16.0), line 3
# U+0378 (unassigned in every version): both differ.
printf 'abc\nx\xf0\x96\xbb\x84y\nx\xcd\xb8y\n' > input.txt
printf '{"ids":[1],"offsets":[[0,3]]}\n{"ids":[2],"offsets":[[0,3]]}\n{"ids":[3],"offsets":[[0,3]]}\n' > ours.jsonl
printf '{"ids":[1],"offsets":[[0,3]]}\n{"ids":[9],"offsets":[[0,3]]}\n{"ids":[3],"offsets":[[0,3]]}\n' > ref.jsonl
node -e 'if (!/^\p{Cn}$/u.test("\u{16EC4}")) process.exit(0); process.exit(1)' \
  || fail "this Node ($now) predates Unicode 16.0: the test needs U+16EC4 assigned here"

# The same version as this Node: line 2 is compared and fails.
{ echo "# Unicode $now (this Node)"; node "$here/../../tools/gen_unicode_assigned.mjs" | tail -n +2; } > same.txt
if node "$here/compare.mjs" input.txt ours.jsonl ref.jsonl same.txt > out.txt 2>&1; then
  fail "a mismatch passed with the same Unicode version: $(cat out.txt)"
fi
grep -q "0 strings left out" out.txt || fail "the same version left strings out: $(cat out.txt)"

# An older project version without U+16EC4 (here: only the BMP assigned): line 2 is left out.
printf '# Unicode 15.0 (made up)\n0 377\n37a ffff\n' > older.txt
node "$here/compare.mjs" input.txt ours.jsonl ref.jsonl older.txt > out.txt 2>&1 \
  || fail "line 2 was compared across versions: $(cat out.txt)"
grep -q "2 strings, .* 0 mismatching strings; Unicode 15.0 (project) vs $now (reference): 1 strings left out" out.txt \
  || fail "unexpected summary: $(cat out.txt)"

# U+0378 is unassigned in both: never left out, so line 3's difference fails.
printf '{"ids":[1],"offsets":[[0,3]]}\n{"ids":[9],"offsets":[[0,3]]}\n{"ids":[8],"offsets":[[0,3]]}\n' > ref3.jsonl
if node "$here/compare.mjs" input.txt ours.jsonl ref3.jsonl older.txt > out.txt 2>&1; then
  fail "a string unassigned in both versions was left out: $(cat out.txt)"
fi
echo "PASS: left out across versions, compared otherwise"
