import test from 'ava';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StaticFiles } from '../src/modules/assets/static-files.js';
import { productImagePath } from '@linli/mock/seed/generate';
import { startTestApp } from './helpers.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The apple's picture as the seed names it: `/static/products/<hash>.svg`. */
const APPLE = productImagePath('红富士苹果');
const APPLE_HASH = APPLE.slice('/static/products/'.length, -'.svg'.length);

/** A raw GET, so the path reaches the server exactly as written (no client-side normalising of `..`). */
function rawGet(url: string, rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('every seeded product picture is served under the API base with a year-long immutable cache header', async (t) => {
  const app = await startTestApp(t, { seed: true });
  const images = [...new Set((await app.core.m.Product.find({}, { image: 1 }).lean()).map((p) => p.image))];
  t.is(images.length, 120, 'one picture per catalog item, shared by its specs');
  // The catalog API hands out the same paths.
  const page = await app.api.get('/api/v1/products').query({ storeId: 'S001', limit: 10 });
  t.true(page.body.items.every((i: { image: string }) => images.includes(i.image)));

  for (const image of images) {
    t.regex(image, /^\/static\/products\/[0-9a-f]{16}\.svg$/);
    const res = await app.api.get(`/api/v1${image}`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    t.is(res.status, 200, image);
    t.is(res.headers['content-type'], 'image/svg+xml', image);
    t.is(res.headers['cache-control'], IMMUTABLE, image);
    t.is(res.headers['x-content-type-options'], 'nosniff');
    const body = res.body as Buffer;
    t.true(body.toString('utf8').startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), image);
    t.true(body.length <= 8 * 1024, `${image}: ${body.length} B`);
    // The name is the content's hash: the URL always means these bytes.
    t.true(image.includes(createHash('sha256').update(body).digest('hex').slice(0, 16)), image);
  }
});

test('a revalidation with the ETag answers 304 with no body', async (t) => {
  const app = await startTestApp(t);
  const first = await app.api.get(`/api/v1${APPLE}`);
  t.is(first.status, 200);
  t.is(first.headers.etag, `"${APPLE_HASH}"`);
  const again = await app.api.get(`/api/v1${APPLE}`).set('If-None-Match', first.headers.etag);
  t.is(again.status, 304);
  t.is(again.text, '');
});

test('unknown names, other files of the folder and path traversal all answer 404 in the API error shape', async (t) => {
  const app = await startTestApp(t);
  const paths = [
    '/api/v1/static/products/0000000000000000.svg',
    `/api/v1/static/products/${APPLE_HASH.toUpperCase()}.svg`,
    `/api/v1/static/products/${APPLE_HASH}.png`,
    '/api/v1/static/products/README.md',
    '/api/v1/static/products/LICENSE-fluent-emoji.txt',
    '/api/v1/static/products/..%2F..%2Fpackage.json',
    '/api/v1/static/products/%2e%2e%2f%2e%2e%2fsrc%2fconfig.ts',
    '/api/v1/static/products/..%5C..%5Cpackage.json',
    '/api/v1/static/products/../../package.json',
    '/api/v1/static/products/../../../bff/package.json',
    '/api/v1/static/products/',
    `/api/v1/static/products/${APPLE_HASH}.svg%00.txt`,
  ];
  for (const p of paths) {
    const res = await rawGet(app.url, p);
    t.is(res.status, 404, p);
    t.regex(String(res.headers['content-type']), /^application\/json/, p);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    t.true(['ASSET_NOT_FOUND', 'ROUTE_NOT_FOUND'].includes(body.error.code), `${p}: ${body.error.code}`);
    t.not(res.headers['cache-control'], IMMUTABLE, p);
    t.false(res.body.includes('"name"') && res.body.includes('@linli'), `${p} leaked a file`);
  }
  // The plain unknown name is the module's own 404, not a missing route.
  t.is(JSON.parse((await rawGet(app.url, paths[0])).body).error.code, 'ASSET_NOT_FOUND');
});

test('a folder holds only files whose name is their content hash; anything else is not served', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linli-static-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = '<svg xmlns="http://www.w3.org/2000/svg"/>';
  const goodName = `${createHash('sha256').update(good).digest('hex').slice(0, 16)}.svg`;
  writeFileSync(path.join(dir, goodName), good);
  writeFileSync(path.join(dir, 'abcdefabcdefabcd.svg'), '<svg>not what the name says</svg>');
  writeFileSync(path.join(dir, 'notes.txt'), 'hello');
  const files = StaticFiles.load(dir);
  t.is(files.size, 1);
  t.deepEqual(files.get(goodName)?.body.toString(), good);
  t.is(files.get(goodName)?.type, 'image/svg+xml');
  t.is(files.get('abcdefabcdefabcd.svg'), undefined);
  t.is(files.get('notes.txt'), undefined);
  t.is(StaticFiles.load(path.join(dir, 'missing')).size, 0);
});
