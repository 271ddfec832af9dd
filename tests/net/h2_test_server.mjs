// HTTPS test server speaking HTTP/2 (and HTTP/1.1 by ALPN fallback) for the net layer's tests:
// serves /img/NAME from a folder and counts TLS sessions and streams, so tests can see multiplexing.
// Usage: node h2_test_server.mjs FILES_DIR KEY.pem CERT.pem   prints "PORT <n>" once listening.
import fs from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';

const [dir, keyFile, certFile] = process.argv.slice(2);
const stats = { sessions: 0, streams: 0, h1: 0 };
const server = http2.createSecureServer({
  key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), allowHTTP1: true,
});
server.on('session', () => { stats.sessions += 1; });
server.on('request', (req, res) => {
  if (req.httpVersionMajor === 1) stats.h1 += 1;
  else stats.streams += 1;
  const url = new URL(req.url, 'https://x');
  if (url.pathname === '/_stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  const name = path.basename(decodeURIComponent(url.pathname.slice('/img/'.length)));
  const full = path.join(dir, name);
  if (!url.pathname.startsWith('/img/') || !name || !fs.existsSync(full)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  const body = fs.readFileSync(full);
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => { console.log(`PORT ${server.address().port}`); });
