// What reference.mjs and clip_reference.mjs share: the tokenizer they load, the lines they
// read from stdin (split on "\n" only, like `warcpairs tokenize`), and the JSON line they
// write per input line ({"error": ...} for a line they cannot align, and then exit 1).
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';

export function loadTokenizer(jsonPath) {
  return new Tokenizer(JSON.parse(readFileSync(jsonPath, 'utf8')), {});
}

export function readLines() {
  const lines = readFileSync(0, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

// Writes encodeLine(line) as one JSON line per input line and exits.
export function writeEncoded(lines, encodeLine) {
  let errors = 0;
  const out = [];
  lines.forEach((line, k) => {
    try {
      out.push(JSON.stringify(encodeLine(line)));
    } catch (e) {
      errors += 1;
      process.stderr.write(`reference: line ${k + 1}: ${e.message}: ${JSON.stringify(line).slice(0, 200)}\n`);
      out.push(JSON.stringify({ error: e.message }));
    }
  });
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
  process.exit(errors ? 1 : 0);
}
