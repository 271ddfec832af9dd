// warcio.js peer for bench/warc/run.sh: iterate every record of a WARC file and read its
// payload; prints "records=R payload_bytes=B best_s=T" (best of N runs).
import fs from "node:fs";
import { WARCParser } from "warcio";

const path = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
let best = Infinity, records = 0, bytes = 0;
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  let n = 0, b = 0;
  const parser = new WARCParser(fs.createReadStream(path));
  for await (const record of parser) {
    const payload = await record.readFully(false);
    n++;
    b += payload ? payload.length : 0;
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (s < best) { best = s; records = n; bytes = b; }
}
console.log(`records=${records} payload_bytes=${bytes} best_s=${best.toFixed(4)}`);
