// Writes the code points assigned in this Node's Unicode version (not \p{Cn}, surrogates left
// out) as ranges, one "first last" pair of hex numbers a line, after a "# Unicode X.Y" line.
// The parity tests read it (tests/parity/compare.mjs): the project's tables were generated
// with the Unicode version in src/text/unicode_tables.inc (kUnicodeVersion), and a reference
// engine with another version classifies the code points assigned in between differently, so
// strings holding one are left out of the comparison (and counted).
// Run it with the Node that generates the tables (tools/gen_unicode_tables.mjs):
//   node tools/gen_unicode_assigned.mjs > tests/parity/unicode_assigned.txt
const unassigned = /^\p{Cn}$/u;
const lines = [`# Unicode ${process.versions.unicode} (Node ${process.version}, ICU ${process.versions.icu}): assigned code point ranges`];
let start = -1;
for (let cp = 0; cp <= 0x110000; ++cp) {
  const assigned = cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff) &&
                   !unassigned.test(String.fromCodePoint(cp));
  if (assigned && start < 0) start = cp;
  if (!assigned && start >= 0) {
    lines.push(`${start.toString(16)} ${(cp - 1).toString(16)}`);
    start = -1;
  }
}
process.stdout.write(lines.join('\n') + '\n');
