// Responses are compressed when the client asks (koa-compress) and only then; ETag / 304 keep working.
// Raw node:http requests, because supertest always sends `Accept-Encoding: gzip, deflate` and
// decompresses, which would hide both the header-less case and the bytes on the wire.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import test from 'ava';
import { startTestApp } from './helpers.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
}

function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

test('GET /home answers gzip to Accept-Encoding: gzip, identity otherwise, and 304 to a matching If-None-Match', async (t) => {
  const app = await startTestApp(t, { seed: true, env: { HOME_PART_BUDGET_MS: '5000' } });
  await app.core.services.catalog.warm();
  const home = `${app.url}/api/v1/home?storeId=S001`;

  const plain = await rawGet(home);
  t.is(plain.status, 200);
  t.is(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as it is');
  t.is(Number(plain.headers['content-length']), plain.bytes.length);
  const body = JSON.parse(plain.bytes.toString('utf8'));
  t.is(body.store.id, 'S001');
  t.regex(String(plain.headers.vary), /Accept-Encoding/i);

  const identity = await rawGet(home, { 'Accept-Encoding': 'identity' });
  t.is(identity.headers['content-encoding'], undefined);
  t.deepEqual(identity.bytes, plain.bytes);

  const gz = await rawGet(home, { 'Accept-Encoding': 'gzip' });
  t.is(gz.status, 200);
  t.is(gz.headers['content-encoding'], 'gzip');
  t.regex(String(gz.headers.vary), /Accept-Encoding/i);
  t.is(gz.headers['content-type'], 'application/json; charset=utf-8');
  t.deepEqual(gunzipSync(gz.bytes), plain.bytes, 'the same JSON, gzipped');
  t.true(gz.bytes.length * 3 < plain.bytes.length, `gzip ${gz.bytes.length} B vs ${plain.bytes.length} B`);
  t.is(gz.headers.etag, plain.headers.etag, 'one ETag for the body whatever the encoding');

  // A client that offers brotli too gets brotli, the smallest; every answer is the same JSON.
  const br = await rawGet(home, { 'Accept-Encoding': 'gzip, deflate, br' });
  t.is(br.headers['content-encoding'], 'br');
  t.deepEqual(brotliDecompressSync(br.bytes), plain.bytes);

  // Revalidation: 304 with no body, whether the client accepts gzip or not.
  for (const enc of [{ 'Accept-Encoding': 'gzip' }, {}] as Record<string, string>[]) {
    const again = await rawGet(home, { ...enc, 'If-None-Match': String(plain.headers.etag) });
    t.is(again.status, 304);
    t.is(again.bytes.length, 0);
    t.is(again.headers['content-encoding'], undefined);
    t.is(again.headers.etag, plain.headers.etag);
  }
  // A stale ETag gets the full, compressed answer.
  const stale = await rawGet(home, { 'Accept-Encoding': 'gzip', 'If-None-Match': '"stale"' });
  t.is(stale.status, 200);
  t.is(stale.headers['content-encoding'], 'gzip');

  t.log(`home S001: ${plain.bytes.length} B identity, ${gz.bytes.length} B gzip, ${br.bytes.length} B br`);
});

test('answers under 1 KB are not compressed even when the client asks', async (t) => {
  const app = await startTestApp(t);
  const res = await rawGet(`${app.url}/api/v1/healthz`, { 'Accept-Encoding': 'gzip' });
  t.is(res.status, 200);
  t.true(res.bytes.length < 1024);
  t.is(res.headers['content-encoding'], undefined);
  t.truthy(JSON.parse(res.bytes.toString('utf8')));
});
