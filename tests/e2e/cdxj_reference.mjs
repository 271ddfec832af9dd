// An independent CDXJ indexer for e2e.warc_writer, to compare `warcpairs index` with line by
// line: records iterated by warcio.js (bench/peers; raw blocks, its own offsets and lengths),
// everything else written here from the published rules, not from warcpairs' C++:
//  - which records and fields: webrecorder/cdxj-indexer (DEFAULT_RECORDS response, revisit,
//    resource, metadata without application/warc-fields; mime "warc/revisit" / HTTP
//    Content-Type cut at ';' or space / WARC Content-Type; status from the HTTP status line;
//    digest = WARC-Payload-Digest without "sha1:", or the SHA-1 of the payload);
//  - the key: internetarchive/surt's default (GoogleURLCanonicalizer, IAURLCanonicalizer,
//    SURT without scheme or trailing comma);
//  - the JSON: Python's json.dumps (", ", ": ", ensure_ascii).
// Prints the sorted lines (identical lines once) of all FILEs.
//   node cdxj_reference.mjs WARCIO_INDEX_JS FILE...
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { domainToASCII } from "node:url";

const [warcioPath, ...files] = process.argv.slice(2);
const { WARCParser } = await import(warcioPath);

// ---- surt (surt/surt.py, handyurl.py, GoogleURLCanonicalizer.py, IAURLCanonicalizer.py)
const decoder = new TextDecoder("utf-8");  // U+FFFD for ill-formed bytes, as Python's 'replace'
function unquote(s) {
  const b = Buffer.from(s, "utf8"), out = [];
  for (let i = 0; i < b.length; i++) {
    const h = b.subarray(i + 1, i + 3).toString("latin1");
    if (b[i] === 0x25 && /^[0-9a-fA-F]{2}$/.test(h)) { out.push(parseInt(h, 16)); i += 2; }
    else out.push(b[i]);
  }
  return decoder.decode(Buffer.from(out));
}
function unescapeRepeatedly(s) {
  for (;;) { const u = unquote(s); if (u === s) return s; s = u; }
}
function escapeOnce(s) {  // quote(s, safe='!"$&\'()*+,-./:;<=>?@[\\]^_`{|}~')
  let out = "";
  for (const c of Buffer.from(s, "utf8")) {
    if (c <= 0x20 || c >= 0x7f || c === 0x25 || c === 0x23) out += "%" + c.toString(16).toUpperCase().padStart(2, "0");
    else out += String.fromCharCode(c);
  }
  return out;
}
function normalizePath(p) {
  if (!p) return "/";
  const kept = [];
  p.split("/").slice(1).forEach((seg) => {
    if (seg === ".") return;
    if (seg === "..") { if (kept.length) kept.pop(); else kept.push(seg); return; }
    kept.push(seg);
  });
  let out = "/";
  for (let i = 0; i < kept.length - 1; i++) if (kept[i].length) out += kept[i] + "/";
  if (kept.length) out += kept[kept.length - 1];
  return out;
}
function inetAton(host) {  // the numeric forms gethostbyname_ex accepts (inet_aton)
  const parts = host.split(".");
  if (parts.length > 4) return null;
  const nums = [];
  for (const p of parts) {
    let v;
    if (/^0[xX][0-9a-fA-F]*$/.test(p)) v = parseInt(p.slice(2) || "0", 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9][0-9]*$/.test(p)) v = Number(p);
    else return null;
    nums.push(v);
  }
  const last = nums.pop(), maxLast = 2 ** (8 * (4 - nums.length));
  if (nums.some((n) => n > 255) || last >= maxLast) return null;
  let v = 0;
  for (const n of nums) v = v * 256 + n;
  v = v * maxLast + last;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
}
function attemptIPFormats(host) {
  if (/^\d+$/.test(host)) {
    const v = Number(BigInt(host) & 0xffffffffn);
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");
  }
  if (/^([1-9][0-9]*)(\.[0-9]+)?(\.[0-9]+)?(\.[0-9]+)?$/.test(host) ||
      /^(0[0-7]*)(\.[0-7]+)?(\.[0-7]+)?(\.[0-7]+)?$/.test(host)) return inetAton(host);
  return null;
}
const QUERY_SESSION = [
  /^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$/i, /^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$/i,
  /^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$/i, /^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$/i,
  /^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$/i];
const PATH_SESSION = [/^(.*\/)(\((?:[a-z]\([0-9a-z]{24}\))+\)\/)([^\?]+\.aspx.*)$/i,
                      /^(.*\/)(\([0-9a-z]{24}\)\/)([^\?]+\.aspx.*)$/i];
function cmpBytes(a, b) { return a < b ? -1 : a > b ? 1 : 0; }  // ASCII here: code units = bytes
function alphaReorderQuery(q) {
  if (q.length <= 1) return q;
  const args = q.split("&").map((a) => { const i = a.indexOf("="); return i < 0 ? [a] : [a.slice(0, i), a.slice(i + 1)]; });
  args.sort((x, y) => cmpBytes(x[0], y[0]) || (x.length - y.length) || cmpBytes(x[1] ?? "", y[1] ?? ""));
  return args.map((t) => t.join("=")).join("&");
}
function surt(url) {
  if (!url) return "-";
  if (url.startsWith("filedesc")) return url;
  let u = url.trim().replace(/[\n\r\t]/g, "");
  if (!/^[a-zA-Z][a-zA-Z0-9+\-.]*:/.test(u)) u = "http://" + u;
  u = u.replace(/^(https?:\/\/)+/, "$1");
  // urlsplit
  const colon = u.indexOf(":");
  const scheme = u.slice(0, colon).toLowerCase();
  let rest = u.slice(colon + 1), netloc = "";
  if (rest.startsWith("//")) {
    const m = rest.slice(2).search(/[\/?#]/);
    netloc = m < 0 ? rest.slice(2) : rest.slice(2, 2 + m);
    rest = m < 0 ? "" : rest.slice(2 + m);
    if (netloc.includes("[") !== netloc.includes("]")) return url;
  }
  let query = null;
  if (rest.includes("#")) rest = rest.slice(0, rest.indexOf("#"));
  if (rest.includes("?")) { const q = rest.slice(rest.indexOf("?") + 1); rest = rest.slice(0, rest.indexOf("?")); if (q) query = q; }
  netloc = netloc.replace(/:+$/, "");
  const hp = netloc.slice(netloc.lastIndexOf("@") + 1);
  let hostname, port = "";
  if (hp.includes("[")) { hostname = hp.slice(hp.indexOf("[") + 1, hp.indexOf("]")); const after = hp.slice(hp.indexOf("]") + 1); if (after.startsWith(":")) port = after.slice(1); }
  else { const i = hp.indexOf(":"); hostname = i < 0 ? hp : hp.slice(0, i); if (i >= 0) port = hp.slice(i + 1); }
  let portNum = null;
  if (port) { if (!/^\d+$/.test(port) || Number(port) > 65535) return url; if (Number(port) !== 0) portNum = Number(port); }
  let host = hostname.toLowerCase() || null, p = rest || null;
  if (scheme === "dns") { host = rest || null; p = null; }
  if (scheme.startsWith("http") && host === null && p !== null) {
    const s = p.replace(/^\/+/, ""), i = s.indexOf("/");
    host = i < 0 ? s : s.slice(0, i); p = "/" + (i < 0 ? "" : s.slice(i + 1));
  }
  // GoogleURLCanonicalizer
  if (query) query = escapeOnce(unescapeRepeatedly(query));
  if (host) {
    let h = unescapeRepeatedly(host);
    if (/[^\x00-\x7f]/.test(h)) { const a = domainToASCII(h); if (a) h = a; }
    h = h.replace(/\.\./g, ".").replace(/^\.+|\.+$/g, "");
    const ip = attemptIPFormats(h);
    host = ip ?? escapeOnce(h.toLowerCase());
  }
  let pth = unescapeRepeatedly(p ?? "");
  if (host) pth = normalizePath(pth);
  pth = escapeOnce(pth);
  // IAURLCanonicalizer
  if (host && scheme !== "dns") host = host.replace(/^www\d*\./, "");
  if ((scheme === "http" && portNum === 80) || (scheme === "https" && portNum === 443)) portNum = null;
  if (pth) {
    pth = pth.toLowerCase();
    for (const re of PATH_SESSION) { const m = pth.match(re); if (m) pth = m[1] + m[3]; }
    if (pth.length > 1 && pth.endsWith("/")) pth = pth.slice(0, -1);
  }
  if (query) {
    for (const re of QUERY_SESSION) { const m = query.match(re); if (m) query = m[1] + (m[2] ?? ""); }
    query = alphaReorderQuery(query.toLowerCase());
    if (!query) query = null;
  }
  // SURT format
  let s = "";
  if (!host) s = scheme + ":";
  else s = host.split(".").reverse().join(",") + (portNum !== null ? ":" + portNum : "") + ")";
  if (pth) s += pth; else if (query !== null) s += "/";
  if (query !== null) s += "?" + query;
  return s;
}

// ---- Python json.dumps(ensure_ascii=True)
function pyString(s) {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"'; else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n"; else if (ch === "\r") out += "\\r"; else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b"; else if (ch === "\f") out += "\\f";
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else for (let i = 0; i < ch.length; i++) out += "\\u" + ch.charCodeAt(i).toString(16).padStart(4, "0");
  }
  return out + '"';
}
const pyJson = (obj) => "{" + Object.entries(obj).map(([k, v]) => pyString(k) + ": " + pyString(v)).join(", ") + "}";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(buf) {
  let bits = 0, value = 0, out = "";
  for (const b of buf) { value = (value << 8) | b; bits += 8; while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; } }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

const lines = [];
for (const file of files) {
  const parser = new WARCParser(fs.createReadStream(file), { parseHttp: false });
  for await (const record of parser) {
    const block = Buffer.from(await record.readFully(false));
    const type = record.warcType, ct = record.warcHeader("Content-Type") ?? "";
    if (!["response", "revisit", "resource", "metadata"].includes(type)) continue;
    if ((type === "resource" || type === "metadata") && ct === "application/warc-fields") continue;
    const nums = (record.warcHeader("WARC-Date") ?? "").split(/[^\d]/);
    if (nums.length && nums[nums.length - 1] === "") nums.pop();
    if (nums.length < 3) continue;
    const ts = nums.slice(0, 6).map((n, i) => n.padStart(i === 0 ? 4 : 2, "0")).join("").padEnd(14, "0");
    let url = record.warcHeader("WARC-Target-URI") ?? "";
    if (url.startsWith("<") && url.endsWith(">")) url = url.slice(1, -1);
    const entry = {};
    if (url) entry.url = url;
    let payload = block, status = null, httpType = null;
    if ((type === "response" || type === "revisit") && block.subarray(0, 5).toString("latin1") === "HTTP/") {
      let end = -1;
      for (let i = 0; i < block.length; i++) {
        if (block[i] !== 10) continue;
        if (i >= 1 && block[i - 1] === 10) { end = i + 1; break; }
        if (i >= 2 && block[i - 1] === 13 && block[i - 2] === 10) { end = i + 1; break; }
      }
      if (end > 0) {
        const head = block.subarray(0, end).toString("latin1").split(/\r?\n/);
        const m = head[0].match(/^HTTP\/[\d.]+ +(\d{3})/);
        if (m) {
          status = m[1];
          for (const line of head.slice(1)) {
            const i = line.indexOf(":");
            if (i > 0 && line.slice(0, i).trim().toLowerCase() === "content-type") { httpType = line.slice(i + 1).trim(); break; }
          }
          payload = block.subarray(end);
        }
      }
    }
    const mimeSource = type === "revisit" ? "warc/revisit" : type === "response" ? httpType : ct;
    const mime = mimeSource ? mimeSource.split(/[;\s]/)[0].trim() : "";
    if (mime) entry.mime = mime;
    if (status) entry.status = status;
    const pd = record.warcHeader("WARC-Payload-Digest");
    entry.digest = pd ? pd.slice(pd.lastIndexOf(":") + 1) : base32(crypto.createHash("sha1").update(payload).digest()) + "====".slice(0, 0);
    entry.length = String(parser.recordLength);
    entry.offset = String(parser.offset);
    entry.filename = path.basename(file);
    lines.push(surt(url) + " " + ts + " " + pyJson(entry));
  }
}
lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const out = lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
process.stdout.write(out.map((l) => l + "\n").join(""));
