#!/usr/bin/env node
// Serves the h5 build (miniapp/dist/h5) with an SPA fallback, and reverse-proxies /api/* to the BFF
// and /dev/* to the mock host, so the browser app talks to one origin and needs no CORS.
//
//   H5_PORT=8702 LINLI_BFF_URL=http://127.0.0.1:8700 LINLI_MOCK_URL=http://127.0.0.1:8701 node miniapp/scripts/serve-h5.mjs
//
// Also importable: `startH5Server({port, root, bffUrl, mockUrl})` resolves to {server, url}.
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function proxy(req, res, target) {
  const url = new URL(req.url, target);
  // This server is the edge, and the BFF trusts it as its one proxy (TRUSTED_PROXIES=1): it says what
  // it saw, never what the client wrote. The origin the browser used (share links and posters are made
  // on it) and the client's address appended last (the per-IP limits count it).
  const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  const headers = { ...req.headers, host: url.host, 'x-forwarded-host': req.headers.host, 'x-forwarded-proto': 'http', 'x-forwarded-for': forwardedFor };
  const upstream = http.request(url, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'UPSTREAM_UNAVAILABLE', message: `upstream ${url.origin} unreachable` } }));
  });
  req.pipe(upstream);
}

function serveFile(res, file, status = 200) {
  const ext = path.extname(file);
  const immutable = /\/(js|css|static)\//.test(file);
  res.writeHead(status, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Starts the static server + proxy; port 0 picks a free port. */
export function startH5Server({ port, host = '127.0.0.1', root, bffUrl, mockUrl }) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.startsWith('/api/')) return proxy(req, res, bffUrl);
    if (pathname.startsWith('/dev/')) return proxy(req, res, mockUrl);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    const file = path.join(base, pathname);
    if (!file.startsWith(base + path.sep) && file !== base) {
      res.writeHead(400);
      return res.end();
    }
    if (isFile(file)) return serveFile(res, file);
    // SPA fallback: any unknown path that is not an asset gets the app's index.html.
    if (path.extname(pathname) && pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const index = path.join(base, 'index.html');
    if (!isFile(index)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('h5 build missing: run `npm run build:h5 -w miniapp`');
    }
    return serveFile(res, index);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, url: `http://${host}:${addr.port}` });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.H5_PORT ?? 8702);
  const { server, url } = await startH5Server({
    port,
    root: process.env.H5_ROOT ?? path.join(here, '..', 'dist', 'h5'),
    bffUrl: process.env.LINLI_BFF_URL ?? 'http://127.0.0.1:8700',
    mockUrl: process.env.LINLI_MOCK_URL ?? 'http://127.0.0.1:8701',
  });
  console.log(`H5 ${url}`);
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
