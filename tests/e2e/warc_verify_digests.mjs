// Independent check of WARC files with warcio.js (bench/peers): every record is read by
// warcio's parser (no HTTP parsing: the raw block), and its WARC-Block-Digest and
// WARC-Payload-Digest are recomputed here with node's crypto. The payload of an HTTP record is
// its entity body (WARC 1.1 §5.9): the body after the header's empty line with a chunked
// transfer coding removed (RFC 9112 §7.1), decoded by the small de-chunker below. A revisit's
// payload digest must be that of a stored payload of the set. Prints one JSON line:
// {"records", "by_type", "block_checked", "payload_checked", "mismatches": [...]}; exit 1 on
// any mismatch or when no record was read.
//   node warc_verify_digests.mjs WARCIO_INDEX_JS FILE...
import fs from "node:fs";
import crypto from "node:crypto";

const [warcioPath, ...files] = process.argv.slice(2);
const { WARCParser } = await import(warcioPath);

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(buf) {  // RFC 4648 §6, with '=' padding
  let bits = 0, value = 0, out = "";
  for (const b of buf) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += "=";
  return out;
}
const sha1 = (buf) => "sha1:" + base32(crypto.createHash("sha1").update(buf).digest());

function headEnd(block) {
  for (let i = 0; i + 3 < block.length; i++)
    if (block[i] === 13 && block[i + 1] === 10 && block[i + 2] === 13 && block[i + 3] === 10) return i + 4;
  return -1;
}
function dechunk(body) {  // null when not well-formed chunked data
  const parts = [];
  let p = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", p, "latin1");
    if (eol < 0) return null;
    const size = parseInt(body.subarray(p, eol).toString("latin1").split(";")[0].trim(), 16);
    if (Number.isNaN(size)) return null;
    p = eol + 2;
    if (size === 0) return Buffer.concat(parts);
    if (p + size > body.length) return null;
    parts.push(body.subarray(p, p + size));
    p += size + 2;
  }
}

const byType = {}, mismatches = [], stored = new Set(), revisits = [];
let records = 0, blockChecked = 0, payloadChecked = 0;
for (const file of files) {
  const parser = new WARCParser(fs.createReadStream(file), { parseHttp: false });
  for await (const record of parser) {
    const block = Buffer.from(await record.readFully(false));
    const type = record.warcType;
    records++;
    byType[type] = (byType[type] ?? 0) + 1;
    const where = `${file} offset ${parser.offset} ${type} ${record.warcTargetURI ?? ""}`;
    const bd = record.warcHeader("WARC-Block-Digest");
    if (!bd) mismatches.push(`${where}: no WARC-Block-Digest`);
    else if (bd !== sha1(block)) mismatches.push(`${where}: block digest ${bd} != ${sha1(block)}`);
    else blockChecked++;
    const pd = record.warcHeader("WARC-Payload-Digest");
    const ct = record.warcContentType ?? "";
    if (type === "revisit") { revisits.push([where, pd]); continue; }
    if (!pd) continue;
    let payload = block;
    if (ct.startsWith("application/http")) {
      const end = headEnd(block);
      if (end < 0) { mismatches.push(`${where}: no end of HTTP head`); continue; }
      const head = block.subarray(0, end).toString("latin1");
      payload = block.subarray(end);
      if (/^transfer-encoding:.*chunked/im.test(head)) {
        const d = dechunk(payload);
        if (d) payload = d;
      }
    }
    if (pd !== sha1(payload)) mismatches.push(`${where}: payload digest ${pd} != ${sha1(payload)}`);
    else { payloadChecked++; if (type === "response") stored.add(pd); }
  }
}
for (const [where, pd] of revisits) {
  if (stored.has(pd)) payloadChecked++;
  else mismatches.push(`${where}: revisit of ${pd}, which no response of these files holds`);
}
console.log(JSON.stringify({ records, by_type: byType, block_checked: blockChecked,
                             payload_checked: payloadChecked, mismatches }));
process.exit(records > 0 && mismatches.length === 0 ? 0 : 1);
