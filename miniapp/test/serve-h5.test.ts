// The h5 server is the BFF's one trusted proxy (TRUSTED_PROXIES=1 in the demo and the browser tests),
// so what it forwards must be what it saw: a client writing X-Forwarded-* must not choose the poster
// origin or the address the per-IP limits count.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { startH5Server } from '../scripts/serve-h5.mjs';

test('the h5 proxy forwards the origin the browser used and appends the client address, whatever the client wrote', async (t) => {
  const seen: http.IncomingHttpHeaders[] = [];
  const upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  t.teardown(() => upstream.close());
  const bffUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const { server, url } = await startH5Server({ port: 0, root: '.', bffUrl, mockUrl: bffUrl });
  t.teardown(() => server.close());

  const res = await fetch(`${url}/api/v1/healthz`, {
    headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.9' },
  });
  t.is(res.status, 200);
  t.is(seen.length, 1);
  const [h] = seen;
  t.is(h['x-forwarded-host'], new URL(url).host, 'the origin is the one the request reached');
  t.is(h['x-forwarded-proto'], 'http');
  const chain = String(h['x-forwarded-for']).split(',').map((s) => s.trim());
  t.is(chain.at(-1), '127.0.0.1', 'the last entry, the one a trusting BFF reads, is the socket address');
  t.deepEqual(chain.slice(0, -1), ['203.0.113.9'], 'what the client wrote stays in front, where it is not believed');
});
