// The reference side of the CLIP BPE parity test: Hugging Face tokenizers.js
// (@huggingface/tokenizers) on the CLIP tokenizer.json (make_clip_tokenizer_json.mjs).
//   node clip_reference.mjs TOKENIZER.json < lines   one {"ids":[...],"offsets":[[s,e],...]} per line
// (for timing, reference.mjs --bench works on any tokenizer.json). Lines are split on "\n" only.
// ids are tokenizer.encode()'s, with <|startoftext|>/<|endoftext|> at [0,0]. tokenizers.js has
// no offsets, so they are derived here, with the definition of include/warcpairs/text/clip_bpe.h:
//  - NFC: the line is cut before every character that NFC leaves alone whatever its neighbours
//    (NFC(c) == c, combining class 0, not the second of a composition); a chunk NFC changes
//    maps all its output characters to the whole chunk, an unchanged one maps 1:1;
//  - Replace(\s+ → " "): the space spans its run; Lowercase: each output character points at
//    its input character (Final_Sigma taken from the whole-line result);
//  - a token spans the characters its bytes come from (all of a character a byte belongs to).
// The aligned text must equal the reference normaliser's output and the tokens must equal
// encode()'s, or the line is reported as an error (exit 1) instead of guessing.
import { loadTokenizer, readLines, writeEncoded } from './reference_lines.mjs';

const [jsonPath] = process.argv.slice(2);
const tokenizer = loadTokenizer(jsonPath);
const lines = readLines();

// Which code points are not NFC boundaries (same derivation as tools/gen_nfc_tables.mjs).
const str = (...c) => String.fromCodePoint(...c);
const nonzeroCcc = (ch) =>
  ('\u0301' + ch).normalize('NFD') === ch + '\u0301' || (ch + '\u0301').normalize('NFD') === '\u0301' + ch ||
  (ch + '\u0334').normalize('NFD') === '\u0334' + ch;
const notBoundary = new Set();
for (let cp = 0x80; cp < 0x110000; ++cp) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const ch = str(cp);
  const nfd = ch.normalize('NFD');
  if (ch.normalize('NFC') !== ch || (nfd === ch && nonzeroCcc(ch))) notBoundary.add(cp);
  const d = [...nfd];
  if (d.length >= 2 && ch.normalize('NFC') === ch && !(cp >= 0xac00 && cp <= 0xd7a3)) {
    const first = d.slice(0, -1).join('').normalize('NFC');
    if ([...first].length === 1 && (first + d.at(-1)).normalize('NFC') === ch) notBoundary.add(d.at(-1).codePointAt(0));
  }
}
for (let cp = 0x1161; cp <= 0x11c2; ++cp) notBoundary.add(cp);
const flagged = (c) => notBoundary.has(c.codePointAt(0));

const union = (chars) => ({ s: Math.min(...chars.map((x) => x.s)), e: Math.max(...chars.map((x) => x.e)) });

function nfc(chars) {
  const out = [];
  for (let i = 0; i < chars.length;) {
    let j = i + 1;
    while (j < chars.length && flagged(chars[j].c)) ++j;
    const chunk = chars.slice(i, j);
    const text = chunk.map((x) => x.c).join('');
    const composed = text.normalize('NFC');
    if (composed === text) out.push(...chunk);
    else { const u = union(chunk); for (const c of composed) out.push({ c, ...u }); }
    i = j;
  }
  return out;
}

function normalize(line) {
  let chars = [...line].map((c, k) => ({ c, s: k, e: k + 1 }));
  chars = nfc(chars);
  const spaced = [];
  for (const x of chars) {
    const space = /^\p{White_Space}$/u.test(x.c);
    if (space && spaced.length && spaced.at(-1).space) Object.assign(spaced.at(-1), union([spaced.at(-1), x]));
    else spaced.push(space ? { c: ' ', s: x.s, e: x.e, space } : x);
  }
  const lowered = [];
  for (const x of spaced) for (const c of x.c.toLowerCase()) lowered.push({ c, s: x.s, e: x.e });
  const whole = [...tokenizer.normalizer(line)];
  if (lowered.length === whole.length) lowered.forEach((x, k) => { if (x.c === 'σ' && whole[k] === 'ς') x.c = 'ς'; });
  if (lowered.map((x) => x.c).join('') !== whole.join('')) throw new Error('aligned normalisation differs');
  return lowered;
}

const byteOf = new Map();  // byte-level character → byte
{
  const bs = [];
  for (let b = 0x21; b <= 0x7e; ++b) bs.push(b);
  for (let b = 0xa1; b <= 0xac; ++b) bs.push(b);
  for (let b = 0xae; b <= 0xff; ++b) bs.push(b);
  let n = 0;
  const cs = bs.slice();
  for (let b = 0; b < 256; ++b) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  bs.forEach((b, i) => byteOf.set(str(cs[i]), b));
}
const utf8Length = (c) => Buffer.byteLength(c, 'utf8');

function encodeLine(line) {
  const norm = normalize(line);
  const tokens = [];
  const offsets = [];
  let base = 0;  // code point index into norm of the section
  for (const section of tokenizer.splitter_normalized.split(norm.map((x) => x.c).join(''))) {
    const chars = norm.slice(base, base + [...section].length);
    if (tokenizer.added_tokens_map.has(section)) {
      const u = union(chars);
      tokens.push(section);
      offsets.push([u.s, u.e]);
      base += chars.length;
      continue;
    }
    let cursor = 0;
    for (const piece of tokenizer.pre_tokenizer(section)) {
      const bytes = Buffer.from([...piece].map((c) => byteOf.get(c)));
      const w = [...bytes.toString('utf8')];
      while (chars.slice(cursor, cursor + w.length).map((x) => x.c).join('') !== w.join('')) {
        if (++cursor > chars.length) throw new Error(`piece ${w.join('')} not found`);
      }
      const byteChar = [];  // piece byte → index into chars
      w.forEach((c, k) => { for (let b = 0; b < utf8Length(c); ++b) byteChar.push(cursor + k); });
      let at = 0;
      for (const t of tokenizer.model([piece])) {
        const n = [...t.replace(/<\/w>$/, '')].length;
        const u = union(chars.slice(byteChar[at], byteChar[at + n - 1] + 1));
        tokens.push(t);
        offsets.push([u.s, u.e]);
        at += n;
      }
      if (at !== bytes.length) throw new Error('tokens do not cover the piece');
      cursor += w.length;
    }
    base += chars.length;
  }
  const encoded = tokenizer.encode(line);
  if (encoded.tokens.slice(1, -1).join('\u0001') !== tokens.join('\u0001')) throw new Error('tokens differ from encode()');
  return { ids: encoded.ids, offsets: [[0, 0], ...offsets, [0, 0]] };
}

writeEncoded(lines, encodeLine);
