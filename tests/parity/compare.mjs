// Compares `warcpairs tokenize` output with the reference's, line by line: ids and offsets must
// be identical. Prints the counts and the first mismatches; exits 1 on any mismatch.
// Usage: node compare.mjs INPUT.txt OURS.jsonl REFERENCE.jsonl [ASSIGNED.txt]
// ASSIGNED.txt (tools/gen_unicode_assigned.mjs): the code points assigned in the Unicode version
// the project's tables were generated with. When this Node's Unicode version differs, a string
// holding a code point assigned in one version and not in the other is left out (the two
// engines classify it by different data, neither wrongly) and counted; with the same version
// nothing is left out.
import { readFileSync } from 'node:fs';

const [inputPath, oursPath, refPath, assignedPath] = process.argv.slice(2);
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

// differsInAssignment(s): true when s holds a code point assigned in exactly one of the two
// Unicode versions.
let projectUnicode = process.versions.unicode;
let differsInAssignment = () => false;
if (assignedPath) {
  const [head, ...rows] = split(assignedPath, 'utf8');
  projectUnicode = /^# Unicode (\S+)/.exec(head)?.[1];
  if (!projectUnicode) {
    console.error(`FAIL: ${assignedPath} does not start with "# Unicode X.Y"`);
    process.exit(1);
  }
  if (projectUnicode !== process.versions.unicode) {
    const ranges = rows.map((r) => r.split(' ').map((h) => parseInt(h, 16)));
    const assignedInProject = (cp) => {
      let lo = 0, hi = ranges.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cp < ranges[mid][0]) hi = mid - 1;
        else if (cp > ranges[mid][1]) lo = mid + 1;
        else return true;
      }
      return false;
    };
    const unassignedHere = /^\p{Cn}$/u;
    differsInAssignment = (s) => {
      for (const ch of s)
        if (assignedInProject(ch.codePointAt(0)) === unassignedHere.test(ch)) return true;
      return false;
    };
  }
}

let tokens = 0;
let mismatches = 0;
let leftOut = 0;
for (let k = 0; k < input.length; ++k) {
  if (differsInAssignment(input[k])) {
    ++leftOut;
    continue;
  }
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
console.log(`wordpiece parity: ${input.length - leftOut} strings, ${tokens} tokens compared (ids and offsets), ` +
            `${mismatches} mismatching strings; Unicode ${projectUnicode} (project) vs ` +
            `${process.versions.unicode} (reference): ${leftOut} strings left out, holding code points ` +
            `assigned in only one of the two`);
process.exit(mismatches ? 1 : 0);
