// Writes the tokenizer.json of openai/clip-vit-base-patch32 (the HF hub file's structure, as
// transformers' CLIPConverter built it) from OpenAI's merges file, so that the reference
// tokenizers.js runs exactly the pipeline warcpairs implements (src/text/clip_bpe.cc).
// The vocabulary is built like CLIPTokenizer (tokenization_clip.py): the 256 bytes_to_unicode()
// characters, the same + "</w>", one token per merge (lines 1..48894 after the "#version"
// header), then <|startoftext|> and <|endoftext|>.
// Usage: node make_clip_tokenizer_json.mjs bpe_simple_vocab_16e6.txt[.gz] OUT.json
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [mergesPath, outPath] = process.argv.slice(2);
let raw = readFileSync(mergesPath);
if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
const merges = raw.toString('utf8').split('\n').slice(1, 49152 - 256 - 2 + 1).map((l) => l.replace(/\r$/, ''));
if (merges.length !== 48894) throw new Error(`want 48894 merges, got ${merges.length}`);

// GPT-2's bytes_to_unicode(), in its order.
const bs = [];
for (let b = 0x21; b <= 0x7e; ++b) bs.push(b);
for (let b = 0xa1; b <= 0xac; ++b) bs.push(b);
for (let b = 0xae; b <= 0xff; ++b) bs.push(b);
const cs = bs.slice();
let n = 0;
for (let b = 0; b < 256; ++b) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
const byteChars = cs.map((c) => String.fromCodePoint(c));

const list = [...byteChars, ...byteChars.map((c) => c + '</w>'), ...merges.map((m) => m.split(' ').join('')),
              '<|startoftext|>', '<|endoftext|>'];
const vocab = {};
list.forEach((t, id) => { vocab[t] = id; });
if (Object.keys(vocab).length !== 49408) throw new Error('vocabulary entries repeat');

const added = ['<|startoftext|>', '<|endoftext|>'].map((content) => ({
  id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: true,
  special: true,
}));
const tokenizer = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: added,
  normalizer: {
    type: 'Sequence',
    normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
                  { type: 'Lowercase' }],
  },
  pre_tokenizer: {
    type: 'Sequence',
    pretokenizers: [
      {
        type: 'Split',
        pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
        behavior: 'Removed',
        invert: true,
      },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
    ],
  },
  post_processor: {
    type: 'RobertaProcessing', sep: ['<|endoftext|>', vocab['<|endoftext|>']],
    cls: ['<|startoftext|>', vocab['<|startoftext|>']], trim_offsets: false, add_prefix_space: false,
  },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true },
  model: {
    type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '',
    end_of_word_suffix: '</w>', fuse_unk: false, vocab, merges,
  },
};
writeFileSync(outPath, JSON.stringify(tokenizer));
