// What gen_unicode_tables.mjs and gen_nfc_tables.mjs share: the two-stage table of one flag
// byte per code point, and the layout of the C++ arrays they print.
export const kBlock = 128;

// stage1[cp / 128] names a 128-entry block of stage2; equal blocks are stored once.
export function twoStageTable(flags) {
  const blockIndex = new Map();
  const stage1 = [];
  const stage2 = [];
  for (let b = 0; b < 0x110000 / kBlock; ++b) {
    const block = flags.subarray(b * kBlock, (b + 1) * kBlock);
    const key = block.join(',');
    if (!blockIndex.has(key)) { blockIndex.set(key, blockIndex.size); stage2.push(...block); }
    stage1.push(blockIndex.get(key));
  }
  return { stage1, stage2, blocks: blockIndex.size };
}

// An initialiser's items, `per` to an indented line.
export function wrap(items, per) {
  const lines = [];
  for (let i = 0; i < items.length; i += per) lines.push('    ' + items.slice(i, i + per).join(','));
  return lines.join(',\n');
}

// The kStage1 and kStage2 arrays of a twoStageTable().
export function stageArrays({ stage1, stage2 }) {
  return [`constexpr std::uint16_t kStage1[${stage1.length}] = {\n${wrap(stage1, 24)}};`,
          `constexpr std::uint8_t kStage2[${stage2.length}] = {\n${wrap(stage2, 32)}};`];
}
