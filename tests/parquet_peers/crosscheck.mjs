// Parquet cross-checks with an independent implementation (hyparquet, hyparquet-writer):
//   node crosscheck.mjs write DIR   files made by hyparquet-writer + DIR/NAME.expected.jsonl
//   node crosscheck.mjs read FILE   FILE's rows read by hyparquet, one JSON object per line
//   node crosscheck.mjs list FILE BASE   an img2dataset-style list (URL, TEXT, similarity) of
//                                   BASE/img/p0.jpg..p4.jpg and BASE/status/404 (tests/e2e/parquet_test.sh)
// Rows are in parquet_json's form (tests/unit/parquet/parquet_json.cc): nested columns by dotted
// path, binary values as {"hex": ...}, 64-bit integers as JSON numbers, nulls as null.
import fs from 'node:fs'
import path from 'node:path'
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, asyncBufferFromFile } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { parquetWriteFile } from 'hyparquet-writer'

const hex = (u8) => Buffer.from(u8).toString('hex')

// A deterministic pseudo-random generator, so the files are the same every run.
let seed = 12345
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)

function makeColumns(n) {
  const words = ['', 'a cat', 'Zürich – Straße', '日本語のテキスト', 'emoji 🐈‍⬛', 'x'.repeat(70000)]
  const id = [], s = [], d = [], b = [], bin = []
  for (let i = 0; i < n; i++) {
    id.push(rand() < 0.2 ? null : BigInt(Math.floor(rand() * 2 ** 40)) - 2n ** 39n)
    const k = Math.floor(rand() * 8)
    s.push(k === 7 ? null : k === 6 ? `unique ${i} ${'é'.repeat(i % 50)}` : words[k % words.length])
    d.push(rand() < 0.3 ? null : rand() * 1e6 - 5e5)
    b.push(rand() < 0.1 ? null : rand() < 0.5)
    const big = rand() < 0.01
    bin.push(rand() < 0.2 ? null : big ? new Uint8Array(300000).map((_, j) => (j * 7 + i) & 255)
      : rand() < 0.1 ? new Uint8Array(0) : Uint8Array.from([0, 255, i & 255, 10]))
  }
  return [
    { name: 'id', data: id, type: 'INT64', nullable: true },
    { name: 's', data: s, type: 'STRING', nullable: true },
    { name: 'd', data: d, type: 'DOUBLE', nullable: true },
    { name: 'b', data: b, type: 'BOOLEAN', nullable: true },
    { name: 'bin', data: bin, type: 'BYTE_ARRAY', nullable: true },
  ]
}

function expectedRows(columns) {
  const out = []
  for (let i = 0; i < columns[0].data.length; i++) {
    const row = {}
    for (const c of columns) {
      const v = c.data[i]
      row[c.name] = v === null ? null : c.type === 'BYTE_ARRAY' ? { hex: hex(v) } : typeof v === 'bigint' ? Number(v) : v
    }
    out.push(JSON.stringify(row))
  }
  return out.join('\n') + '\n'
}

async function write(dir) {
  fs.mkdirSync(dir, { recursive: true })
  const cases = [
    { name: 'snappy_many_groups', rows: 1200, options: { rowGroupSize: 100 } },
    { name: 'uncompressed_small_pages', rows: 600, options: { codec: 'UNCOMPRESSED', pageSize: 4096, rowGroupSize: 250 } },
    { name: 'one_group', rows: 300, options: {} },
  ]
  for (const c of cases) {
    const columns = makeColumns(c.rows)
    parquetWriteFile({ filename: path.join(dir, c.name + '.parquet'), columnData: columns, ...c.options })
    fs.writeFileSync(path.join(dir, c.name + '.expected.jsonl'), expectedRows(columns))
  }
  // An encoding our reader does not take: it must say so, naming the column.
  parquetWriteFile({
    filename: path.join(dir, 'unsupported_delta.parquet'),
    columnData: [{ name: 'n', data: [1n, 2n, 3n], type: 'INT64', encoding: 'DELTA_BINARY_PACKED' }],
  })
}

async function read(file) {
  const buf = await asyncBufferFromFile(file)
  const metadata = await parquetMetadataAsync(buf)
  const rows = await parquetReadObjects({ file: buf, metadata, compressors, utf8: false })
  const leaves = []
  const walk = (node, prefix) => {
    for (const child of node.children) {
      const name = prefix ? `${prefix}.${child.element.name}` : child.element.name
      if (child.children.length) walk(child, name)
      else leaves.push({ path: name, text: child.element.converted_type === 'UTF8' || child.element.logical_type?.type === 'STRING' })
    }
  }
  walk(parquetSchema(metadata), '')
  const lines = []
  for (const r of rows) {
    const row = {}
    for (const leaf of leaves) {
      let v = r
      for (const part of leaf.path.split('.')) v = v === null || v === undefined ? v : v[part]
      if (v === undefined) v = null
      if (v instanceof Uint8Array) v = leaf.text ? Buffer.from(v).toString('utf8') : { hex: hex(v) }
      else if (typeof v === 'bigint') v = Number(v)
      row[leaf.path] = v
    }
    lines.push(JSON.stringify(row))
  }
  process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''))
}

function list(file, base) {
  const n = 6
  parquetWriteFile({ filename: file, rowGroupSize: 4, columnData: [
    { name: 'URL', type: 'STRING', data: Array.from({ length: n }, (_, i) => i === 5 ? base + '/status/404' : base + '/img/p' + i + '.jpg') },
    { name: 'TEXT', type: 'STRING', nullable: true, data: ['a red square', 'Straße im Schnee – 雪', null, 'an empty-looking field', 'x'.repeat(300), 'missing'] },
    { name: 'similarity', type: 'DOUBLE', data: Array(n).fill(0.3) },
  ] })
}

const [mode, arg, arg2] = process.argv.slice(2)
if (mode === 'write') await write(arg)
else if (mode === 'read') await read(arg)
else if (mode === 'list') list(arg, arg2)
else { console.error('usage: crosscheck.mjs write DIR | read FILE | list FILE BASE'); process.exit(2) }
