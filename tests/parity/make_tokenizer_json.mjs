// Writes the tokenizer.json of bert-base-uncased (the HF hub file's structure) from vocab.txt,
// so that the reference tokenizers.js runs exactly the pipeline warcpairs implements.
// Usage: node make_tokenizer_json.mjs VOCAB.txt OUT.json
import { readFileSync, writeFileSync } from 'node:fs';

const [vocabPath, outPath] = process.argv.slice(2);
const lines = readFileSync(vocabPath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const vocab = {};
lines.forEach((token, id) => { vocab[token.replace(/\r$/, '')] = id; });
const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const added = special.map((content) => ({
  id: vocab[content], content, single_word: false, lstrip: false, rstrip: false,
  normalized: false, special: true,
}));
const specialEntry = (t) => ({ id: t, ids: [vocab[t]], tokens: [t] });
const tokenizer = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: added,
  normalizer: {
    type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
             { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
           { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } },
           { SpecialToken: { id: '[SEP]', type_id: 1 } }],
    special_tokens: { '[CLS]': specialEntry('[CLS]'), '[SEP]': specialEntry('[SEP]') },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: {
    type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##',
    max_input_chars_per_word: 100, vocab,
  },
};
writeFileSync(outPath, JSON.stringify(tokenizer));
