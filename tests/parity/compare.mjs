// Compares `warcpairs tokenize` output with the reference's, line by line: ids and offsets must
// be identical. Prints the counts and the first mismatches; exits 1 on any mismatch.
// Usage: node compare.mjs INPUT.txt OURS.jsonl REFERENCE.jsonl
import { readFileSync } from 'node:fs';

const [inputPath, oursPath, refPath] = process.argv.slice(2);
const split = (p, enc) => {
  const l = readFileSync(p, enc).split('\n');
  if (l.at(-1) === '') l.pop();
  return l;
};
const input = split(inputPath, 'utf8');
const ours = split(oursPath, 'utf8');
const ref = split(refPath, 'utf8');
if (ours.length !== input.length || ref.length !== input.length) {
  console.error(`FAIL: line counts differ: input ${input.length}, ours ${ours.length}, reference ${ref.length}`);
  process.exit(1);
}
let tokens = 0;
let mismatches = 0;
for (let k = 0; k < input.length; ++k) {
  const a = JSON.parse(ours[k]);
  const b = JSON.parse(ref[k]);
  tokens += b.ids?.length ?? 0;
  const same = JSON.stringify(a.ids) === JSON.stringify(b.ids) &&
               JSON.stringify(a.offsets) === JSON.stringify(b.offsets);
  if (!same) {
    if (++mismatches <= 10) {
      console.error(`mismatch, line ${k + 1}: ${JSON.stringify(input[k]).slice(0, 300)}`);
      console.error(`  ours      ${ours[k].slice(0, 400)}`);
      console.error(`  reference ${ref[k].slice(0, 400)}`);
    }
  }
}
console.log(`wordpiece parity: ${input.length} strings, ${tokens} tokens compared (ids and offsets), ${mismatches} mismatching strings`);
process.exit(mismatches ? 1 : 0);
