import test from 'ava';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDecipheriv, createPublicKey, createVerify } from 'node:crypto';
import { createMockHost } from '../src/app.js';
import { loadMockConfig } from '../src/config.js';

/** A merchant endpoint that records notifications and answers as told. */
async function merchant(t: import('ava').ExecutionContext, answer: (n: number) => number = () => 200) {
  const got: { headers: http.IncomingHttpHeaders; body: string; status: number }[] = [];
  let n = 0;
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const status = answer(n++);
      got.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: status === 200 ? 'SUCCESS' : 'FAIL' }));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => srv.close(() => r())));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/notify`, got };
}

async function host(t: import('ava').ExecutionContext, notifyUrl: string) {
  const { app, host } = createMockHost(
    loadMockConfig({ MOCK_PORT: '0', LOG_LEVEL: 'silent', NOTIFY_URL: notifyUrl, PAY_NOTIFY_MIN_MS: '20', PAY_NOTIFY_MAX_MS: '100', PAY_NOTIFY_RETRIES: '20', PAY_REFUND_DELAY_MS: '10' }),
  );
  const srv = http.createServer(app.callback());
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    host.parts.pay.stop();
    srv.closeAllConnections();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, json: (() => { try { return JSON.parse(text); } catch { return null; } })() };
  };
  return { base, host, call };
}

const prepayBody = (notifyUrl: string, outTradeNo = 'o_abcdefghijklmnop') => ({
  appid: 'wx0linli0demo0app',
  mchid: '1900000109',
  description: '邻里 测试',
  out_trade_no: outTradeNo,
  notify_url: notifyUrl,
  amount: { total: 1234, currency: 'CNY' },
  payer: { openid: 'demo-alice' },
});

function decrypt(key: string, r: { ciphertext: string; nonce: string; associated_data: string }) {
  const buf = Buffer.from(r.ciphertext, 'base64');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(r.nonce));
  d.setAuthTag(buf.subarray(buf.length - 16));
  d.setAAD(Buffer.from(r.associated_data));
  return JSON.parse(Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString());
}

test('a paid prepay is notified signed and encrypted as Pay API v3 does, and retried until acknowledged', async (t) => {
  const m = await merchant(t, (n) => (n < 2 ? 500 : 200));
  const { call, host: h } = await host(t, m.url);
  const prepay = await call('POST', '/v3/pay/transactions/jsapi', prepayBody(m.url));
  t.is(prepay.status, 200);
  t.regex(prepay.json.prepay_id, /^wx/);
  // The same out_trade_no gets the same prepay.
  t.is((await call('POST', '/v3/pay/transactions/jsapi', prepayBody(m.url))).json.prepay_id, prepay.json.prepay_id);
  t.is((await call('GET', '/v3/pay/transactions/out-trade-no/o_abcdefghijklmnop')).json.trade_state, 'NOTPAY');

  const confirm = await call('POST', '/dev/pay/confirm', { prepayId: prepay.json.prepay_id });
  t.is(confirm.status, 200);
  t.is((await call('POST', '/dev/pay/confirm', { prepayId: prepay.json.prepay_id })).status, 409);
  await h.parts.pay.notifier.settled();
  t.is(m.got.length, 3);
  t.is(h.parts.pay.notifier.stats.acked, 1);

  const certs = await call('GET', '/v3/certificates');
  const key = createPublicKey(certs.json.data[0].public_key);
  const last = m.got[2];
  t.is(last.headers['wechatpay-serial'], certs.json.data[0].serial_no);
  const message = `${last.headers['wechatpay-timestamp']}\n${last.headers['wechatpay-nonce']}\n${last.body}\n`;
  t.true(createVerify('RSA-SHA256').update(message).verify(key, String(last.headers['wechatpay-signature']), 'base64'));
  const env = JSON.parse(last.body);
  t.is(env.event_type, 'TRANSACTION.SUCCESS');
  t.is(env.resource.algorithm, 'AEAD_AES_256_GCM');
  const plain = decrypt('linliDevApiV3Key0123456789abcdef', env.resource);
  t.is(plain.out_trade_no, 'o_abcdefghijklmnop');
  t.is(plain.amount.total, 1234);
  t.is(plain.trade_state, 'SUCCESS');
  t.is(plain.transaction_id, confirm.json.transactionId);
  t.is((await call('GET', '/v3/pay/transactions/out-trade-no/o_abcdefghijklmnop')).json.trade_state, 'SUCCESS');
});

test('faults duplicate, delay and fail notifications; DELETE clears them', async (t) => {
  const m = await merchant(t);
  const { call, host: h } = await host(t, m.url);
  t.is((await call('POST', '/dev/faults', { duplicate: 2, failFirst: 1, delayMs: 50 })).status, 200);
  t.is((await call('POST', '/dev/faults', { duplicate: 'x' })).status, 400);
  t.is((await call('POST', '/dev/faults', { duplicate: 2, failFirst: 1, delayMs: 50 })).status, 200);
  const p = await call('POST', '/v3/pay/transactions/jsapi', prepayBody(m.url));
  const started = Date.now();
  await call('POST', '/dev/pay/confirm', { prepayId: p.json.prepay_id });
  await h.parts.pay.notifier.settled();
  t.true(Date.now() - started >= 50);
  t.is(m.got.length, 3);
  t.is(h.parts.pay.notifier.stats.attempts, 4);
  t.is((await call('DELETE', '/dev/faults')).json.faults.duplicate, 0);
});

test('a refund is made once per out_refund_no, never above what was paid, and notified', async (t) => {
  const m = await merchant(t);
  const { call, host: h } = await host(t, m.url);
  const p = await call('POST', '/v3/pay/transactions/jsapi', prepayBody(m.url));
  t.is((await call('POST', '/v3/refund/domestic/refunds', { out_trade_no: 'o_abcdefghijklmnop', out_refund_no: 'R1', amount: { refund: 1234, total: 1234 } })).status, 404);
  await call('POST', '/dev/pay/confirm', { prepayId: p.json.prepay_id });
  const body = { out_trade_no: 'o_abcdefghijklmnop', out_refund_no: 'o_abcdefghijklmnop-R1', reason: 'test', amount: { refund: 1234, total: 1234, currency: 'CNY' } };
  const [a, b] = await Promise.all([call('POST', '/v3/refund/domestic/refunds', body), call('POST', '/v3/refund/domestic/refunds', body)]);
  t.is(a.json.refund_id, b.json.refund_id);
  t.is((await call('POST', '/v3/refund/domestic/refunds', { ...body, out_refund_no: 'R2' })).status, 400);
  await new Promise((r) => setTimeout(r, 50));
  await h.parts.pay.notifier.settled();
  t.is((await call('GET', '/v3/refund/domestic/refunds/o_abcdefghijklmnop-R1')).json.status, 'SUCCESS');
  const refundNote = m.got.map((g) => JSON.parse(g.body)).find((e) => e.event_type === 'REFUND.SUCCESS');
  t.truthy(refundNote);
  t.is(decrypt('linliDevApiV3Key0123456789abcdef', refundNote.resource).out_refund_no, 'o_abcdefghijklmnop-R1');
  t.is(h.parts.pay.refunds.size, 1);
});

test('the h5 wallet page shows the amount and a 确认支付 button, and escapes what it shows', async (t) => {
  const m = await merchant(t);
  const { call } = await host(t, m.url);
  const p = await call('POST', '/v3/pay/transactions/jsapi', { ...prepayBody(m.url), description: '<script>x</script>' });
  const page = await call('GET', `/dev/wallet?prepayId=${p.json.prepay_id}&redirect=${encodeURIComponent('http://127.0.0.1:8702/#/pages/order/index')}`);
  t.is(page.status, 200);
  t.regex(page.text, /确认支付/);
  t.regex(page.text, /¥12\.34/);
  t.notRegex(page.text, /<script>x<\/script>/);
  const evil = await call('GET', `/dev/wallet?prepayId=${p.json.prepay_id}&redirect=${encodeURIComponent('javascript:alert(1)')}`);
  t.notRegex(evil.text, /javascript:alert/);
  t.is((await call('GET', '/dev/wallet?prepayId=nope')).status, 404);
});
