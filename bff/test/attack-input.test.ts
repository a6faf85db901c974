import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import test, { type ExecutionContext } from 'ava';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { OffsetClock } from '../src/common/clock.js';
import { connectDb } from '../src/common/db.js';
import { testMongoUrl, tokenFor, uniqueDbName, type TestApp } from './helpers.js';

/**
 * Issue 18, hole 9: malformed bodies answered 500 and logged the whole body. Each attack here is sent
 * as raw bytes (supertest would fix some of them up) to a BFF whose log lines are kept.
 */

const SECRET_MARK = 'attack-body-marker-7f3a';

async function startLogged(t: ExecutionContext) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const dbName = uniqueDbName();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', MONGO_URL: testMongoUrl(), DB_NAME: dbName });
  const conn = await connectDb(config.MONGO_URL, dbName);
  t.teardown(async () => {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  });
  const clock = new OffsetClock();
  const { app, core } = await createApp(config, { conn, clock, logger: pino({ level: 'info' }, sink) });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  const customer = `Bearer ${await tokenFor({ config, clock, core } as unknown as TestApp, { id: 'u_attack_input' })}`;
  return { port, lines, customer, core };
}

function send(port: number, path: string, headers: Record<string, string>, body: Buffer | string): Promise<{ status: number; json: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = {};
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON: left empty, the status says enough
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const attacks: { name: string; headers: Record<string, string>; body: Buffer | string }[] = [
  { name: '__proto__ key', headers: JSON_TYPE, body: `{"storeId":"S001","items":[{"productId":"P0001","qty":1}],"__proto__":{"isAdmin":true,"m":"${SECRET_MARK}"}}` },
  { name: 'nested __proto__ key', headers: JSON_TYPE, body: `{"storeId":"S001","items":[{"productId":"P0001","qty":1,"__proto__":{"m":"${SECRET_MARK}"}}]}` },
  { name: 'constructor.prototype key', headers: JSON_TYPE, body: `{"storeId":"S001","items":[],"constructor":{"prototype":{"m":"${SECRET_MARK}"}}}` },
  { name: 'bad JSON', headers: JSON_TYPE, body: `{"storeId":"S001","m":"${SECRET_MARK}",` },
  { name: 'bad gzip', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: Buffer.from(`not gzip at all ${SECRET_MARK}`) },
  { name: 'truncated gzip', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(`{"storeId":"S001","m":"${SECRET_MARK}"}`).subarray(0, 20) },
  { name: 'bad br', headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: Buffer.from(`\xff\xfe not brotli ${SECRET_MARK}`) },
  { name: 'bad deflate', headers: { ...JSON_TYPE, 'content-encoding': 'deflate' }, body: Buffer.from(`not deflate ${SECRET_MARK}`) },
  { name: 'gzip of bad JSON', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(`{"m":"${SECRET_MARK}"`) },
  { name: 'wrong content-type (text/plain)', headers: { 'content-type': 'text/plain' }, body: `storeId=S001&m=${SECRET_MARK}` },
  { name: 'wrong content-type (form)', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `storeId=S001&m=${SECRET_MARK}` },
  { name: 'no content-type', headers: {}, body: `{"storeId":"S001","m":"${SECRET_MARK}"}` },
  { name: 'JSON that is not an object', headers: JSON_TYPE, body: `["${SECRET_MARK}"]` },
  { name: 'JSON null', headers: JSON_TYPE, body: 'null' },
  { name: 'JSON string', headers: JSON_TYPE, body: `"${SECRET_MARK}"` },
  { name: 'charset the server does not speak', headers: { 'content-type': 'application/json; charset=utf-7' }, body: `{"m":"${SECRET_MARK}"}` },
  { name: 'invalid UTF-8', headers: JSON_TYPE, body: Buffer.concat([Buffer.from('{"m":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`${SECRET_MARK}"}`)]) },
];

test('hole 9: every malformed body answers 400 with a code, and no log line carries the body', async (t) => {
  const s = await startLogged(t);
  const wrong: string[] = [];
  for (const path of ['/api/v1/orders', '/api/v1/auth/login']) {
    for (const a of attacks) {
      const headers = path === '/api/v1/orders' ? { authorization: s.customer, ...a.headers } : a.headers;
      const r = await send(s.port, path, headers, a.body);
      if (r.status !== 400 || !/^[A-Z_]+$/.test(r.json.error?.code ?? '')) wrong.push(`${path} ${a.name}: ${r.status} ${JSON.stringify(r.json)}`);
    }
  }
  t.deepEqual(wrong, []);
  const leaked = s.lines.filter((l) => l.includes(SECRET_MARK));
  t.deepEqual(leaked, [], 'a log line carries the body');
  t.false(s.lines.some((l) => /"level":50/.test(l)), 'no malformed body is logged as an unexpected error');
  // Nothing reached the database, and no object prototype was touched.
  t.is(await s.core.m.Order.countDocuments({}), 0);
  t.is(({} as Record<string, unknown>).isAdmin, undefined);
});
