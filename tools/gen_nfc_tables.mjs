// Generates src/text/clip_bpe_tables.inc: the Unicode data behind the CLIP BPE normaliser and
// pre-tokeniser (NFC with alignment, String.toLowerCase, \p{L}, \p{N}, \p{White_Space}).
//
// Why Node: the reference the tokenizer is tested against is the npm package
// @huggingface/tokenizers, whose NFC is String.prototype.normalize('NFC') and whose Lowercase is
// String.prototype.toLowerCase, both on Node's ICU (Unicode 17.0 with Node 20 / ICU 78). Node has
// no API for the normalisation data itself, so it is derived from normalize():
//   decomposition   c.normalize('NFD') when it differs from c (Hangul syllables: in code, UAX #15 §3.12)
//   ccc             only its order matters (canonical ordering, blocking): a mark m has ccc > 0 iff
//                   NFD reorders it next to U+0301 (ccc 230) or U+0334 (ccc 1); marks are then
//                   sorted by "NFD(b+a) == a+b  ⇒  ccc(a) < ccc(b)" and numbered 1, 2, ... (ranks)
//   composition     for every c with NFC(c) == c and an NFD of >= 2 code points: the pair
//                   (NFC(NFD(c) minus its last code point), last code point) → c, checked by NFC
//   lowercase       c.toLowerCase() per code point (Final_Sigma, the one contextual rule, is in code)
// Usage: node tools/gen_nfc_tables.mjs > src/text/clip_bpe_tables.inc
const kBlock = 128;
const F = { letter: 1, number: 2, space: 4, lower: 8, cased: 16, ignorable: 32, nfc: 64 };
const reL = /^\p{L}$/u, reN = /^\p{N}$/u, reWS = /^\p{White_Space}$/u;
const reCased = /^\p{Cased}$/u, reIgnorable = /^\p{Case_Ignorable}$/u;
const isSurrogate = (cp) => cp >= 0xd800 && cp <= 0xdfff;
const isHangulSyllable = (cp) => cp >= 0xac00 && cp <= 0xd7a3;
const cps = (s) => [...s].map((c) => c.codePointAt(0));

// Canonical combining class > 0, detected through canonical reordering (see above).
const kAcute = '\u0301', kOverlay = '\u0334';
const nonzeroCcc = (ch) =>
  (kAcute + ch).normalize('NFD') === ch + kAcute || (ch + kAcute).normalize('NFD') === kAcute + ch ||
  (ch + kOverlay).normalize('NFD') === kOverlay + ch;

const flags = new Uint8Array(0x110000);
const decompositions = [];  // [cp, [cps]]
const lowers = [];          // [cp, [cps]]
const marks = [];           // code points with ccc > 0 (NFD-stable ones)
const composites = [];      // [first, second, composite]
for (let cp = 0; cp < 0x110000; ++cp) {
  if (isSurrogate(cp)) continue;
  const ch = String.fromCodePoint(cp);
  let f = 0;
  if (reL.test(ch)) f |= F.letter;
  if (reN.test(ch)) f |= F.number;
  if (reWS.test(ch)) f |= F.space;
  if (reCased.test(ch)) f |= F.cased;
  if (reIgnorable.test(ch)) f |= F.ignorable;
  const lower = ch.toLowerCase();
  if (lower !== ch) { f |= F.lower; lowers.push([cp, cps(lower)]); }
  const nfd = ch.normalize('NFD');
  if (nfd !== ch && !isHangulSyllable(cp)) decompositions.push([cp, cps(nfd)]);
  if (nfd === ch && nonzeroCcc(ch)) marks.push(cp);
  if (ch.normalize('NFC') !== ch) f |= F.nfc;
  const d = cps(nfd);
  if (d.length >= 2 && ch.normalize('NFC') === ch && !isHangulSyllable(cp)) {
    const first = String.fromCodePoint(...d.slice(0, -1)).normalize('NFC');
    const second = d.at(-1);
    if ([...first].length === 1 && (first + String.fromCodePoint(second)).normalize('NFC') === ch) {
      composites.push([first.codePointAt(0), second, cp]);
    }
  }
  flags[cp] = f;
}
// Anything that can change under NFC next to its neighbours: marks and composition seconds.
for (const m of marks) flags[m] |= F.nfc;
for (const [, second] of composites) flags[second] |= F.nfc;
for (let cp = 0x1161; cp <= 0x11c2; ++cp) flags[cp] |= F.nfc;  // Hangul V and T jamo (UAX #15 §3.12)

// Order-preserving ranks of the combining classes.
const str = String.fromCodePoint;
marks.sort((a, b) => {
  if ((str(b) + str(a)).normalize('NFD') === str(a) + str(b)) return -1;
  if ((str(a) + str(b)).normalize('NFD') === str(b) + str(a)) return 1;
  return 0;
});
const ranks = [];
let rank = 0;
marks.forEach((m, k) => {
  const prev = marks[k - 1];
  if (k === 0 || (str(m) + str(prev)).normalize('NFD') === str(prev) + str(m)) ++rank;
  ranks.push([m, rank]);
});
if (rank > 255) throw new Error(`too many combining classes: ${rank}`);
ranks.sort((a, b) => a[0] - b[0]);
composites.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const blockIndex = new Map();
const stage1 = [];
const stage2 = [];
for (let b = 0; b < 0x110000 / kBlock; ++b) {
  const block = flags.subarray(b * kBlock, (b + 1) * kBlock);
  const key = block.join(',');
  if (!blockIndex.has(key)) { blockIndex.set(key, blockIndex.size); stage2.push(...block); }
  stage1.push(blockIndex.get(key));
}

const hex = (c) => '0x' + c.toString(16);
const pooled = (list, pool) => list.map(([cp, out]) => {
  const e = `{${hex(cp)}, ${pool.length}, ${out.length}}`;
  pool.push(...out);
  return e;
});
const decompPool = [], lowerPool = [];
const decompEntries = pooled(decompositions, decompPool);
const lowerEntries = pooled(lowers, lowerPool);
const wrap = (items, per) => {
  const lines = [];
  for (let i = 0; i < items.length; i += per) lines.push('    ' + items.slice(i, i + per).join(','));
  return lines.join(',\n');
};
const out = [];
out.push('// GENERATED by tools/gen_nfc_tables.mjs from Node ' + process.version + ' (Unicode ' +
         process.versions.unicode + ', ICU ' + process.versions.icu + '). Do not edit.');
out.push('// Included once, by src/text/clip_bpe_tables.cc.');
out.push(`constexpr char kClipUnicodeVersion[] = "${process.versions.unicode}";`);
out.push(`constexpr std::uint16_t kStage1[${stage1.length}] = {\n${wrap(stage1, 24)}};`);
out.push(`constexpr std::uint8_t kStage2[${stage2.length}] = {\n${wrap(stage2, 32)}};`);
out.push(`constexpr Mapping kDecompositions[${decompEntries.length}] = {\n${wrap(decompEntries, 6)}};`);
out.push(`constexpr char32_t kDecompositionPool[${decompPool.length}] = {\n${wrap(decompPool.map(hex), 12)}};`);
out.push(`constexpr Mapping kLowercase[${lowerEntries.length}] = {\n${wrap(lowerEntries, 6)}};`);
out.push(`constexpr char32_t kLowercasePool[${lowerPool.length}] = {\n${wrap(lowerPool.map(hex), 12)}};`);
out.push(`constexpr CombiningClass kCombiningClasses[${ranks.length}] = {\n${wrap(ranks.map(([c, r]) => `{${hex(c)}, ${r}}`), 8)}};`);
out.push(`constexpr Composition kCompositions[${composites.length}] = {\n${wrap(composites.map(([a, b, c]) => `{${hex(a)}, ${hex(b)}, ${hex(c)}}`), 4)}};`);
process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`blocks ${blockIndex.size}, decompositions ${decompositions.length}, lowercase ${lowers.length}, ` +
                     `marks ${marks.length} in ${rank} classes, compositions ${composites.length}\n`);
