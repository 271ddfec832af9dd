// The reference side of the WordPiece parity test and benchmark: Hugging Face tokenizers.js
// (@huggingface/tokenizers) on a tokenizer.json.
//   node reference.mjs TOKENIZER.json < lines      one {"ids":[...],"offsets":[[s,e],...]} per line
//   node reference.mjs TOKENIZER.json --bench SECONDS < lines   {"tokens":N,"seconds":S}
// Lines are split on "\n" only (like `warcpairs tokenize`). ids are tokenizer.encode()'s, with
// [CLS]/[SEP]. tokenizers.js has no offsets, so they are derived here the way HF's Rust aligns
// them: each normalised character points at the original character it came from, computed by
// normalising the text one character at a time with the reference's own normaliser; the result
// must equal the normaliser's output on the whole text and the tokens must equal encode()'s,
// or the line is reported as an error (exit 1) instead of guessing.
import { loadTokenizer, readLines, writeEncoded } from './reference_lines.mjs';

const [jsonPath, mode, arg] = process.argv.slice(2);
const tokenizer = loadTokenizer(jsonPath);
const lines = readLines();

if (mode === '--bench') {
  const budget = Number(arg ?? 5) * 1000;
  let tokens = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (const line of lines) tokens += tokenizer.encode(line).ids.length - 2;
    elapsed = performance.now() - t0;
  } while (elapsed < budget);
  process.stdout.write(JSON.stringify({ tokens, seconds: elapsed / 1000 }) + '\n');
  process.exit(0);
}

// Normalised code points of one section, each with the index of its original code point.
function align(section, base) {
  const chars = [...section];
  const whole = [...(tokenizer.normalizer ? tokenizer.normalizer(section) : section)];
  const norm = [];
  chars.forEach((ch, k) => {
    for (const c of tokenizer.normalizer(ch)) norm.push({ c, origin: base + k });
  });
  // Final_Sigma needs context: take σ/ς from the whole-text result where they disagree.
  if (norm.length === whole.length) {
    norm.forEach((n, k) => { if (n.c === 'σ' && whole[k] === 'ς') n.c = 'ς'; });
  }
  if (norm.map((n) => n.c).join('') !== whole.join('')) throw new Error('per-char normalisation differs');
  return norm;
}

function encodeLine(line) {
  const ids = [];
  const offsets = [];
  const tokens = [];
  let base = 0;
  for (const section of tokenizer.splitter_unnormalized.split(line)) {
    const length = [...section].length;
    if (tokenizer.added_tokens_map.has(section)) {
      tokens.push(section);
      offsets.push([base, base + length]);
      base += length;
      continue;
    }
    const norm = align(section, base);
    const text = norm.map((n) => n.c);
    let cursor = 0;
    for (const word of tokenizer.pre_tokenizer(norm.map((n) => n.c).join(''))) {
      const w = [...word];
      while (text.slice(cursor, cursor + w.length).join('') !== word) {
        if (++cursor > text.length) throw new Error(`word ${word} not found`);
      }
      const pieces = tokenizer.model([word]);
      if (pieces.length === 1 && pieces[0] === tokenizer.model.unk_token) {
        tokens.push(pieces[0]);
        offsets.push([norm[cursor].origin, norm[cursor + w.length - 1].origin + 1]);
      } else {
        let at = cursor;
        pieces.forEach((p, k) => {
          const n = [...(k > 0 ? p.slice(2) : p)].length;
          tokens.push(p);
          offsets.push([norm[at].origin, norm[at + n - 1].origin + 1]);
          at += n;
        });
      }
      cursor += w.length;
    }
    base += length;
  }
  const encoded = tokenizer.encode(line);
  const expected = encoded.tokens.slice(1, -1);
  if (expected.join('\u0001') !== tokens.join('\u0001')) throw new Error('tokens differ from encode()');
  ids.push(...encoded.ids);
  return { ids, offsets: [[0, 0], ...offsets, [0, 0]] };
}

writeEncoded(lines, encodeLine);
