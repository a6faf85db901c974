import test from 'ava';
import { generateKeyPairSync } from 'node:crypto';
import { rsaSign, rsaSignAsync, rsaVerify, signedMessage } from '../src/modules/payment/v3-crypto.js';

// The request signature of the Pay API is computed on the thread pool; it must be the very
// RSA-SHA256 (PKCS#1 v1.5) signature the platform verifies, byte for byte the synchronous one.
test('the thread-pool request signature is the RSA-SHA256 signature the platform verifies', async (t) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const msg = signedMessage('POST', '/v3/pay/transactions/jsapi', '1700000000', 'nonce', '{"a":1}');
  const sig = await rsaSignAsync(privateKey, msg);
  t.is(sig, rsaSign(privateKey, msg));
  t.true(rsaVerify(publicKey, msg, sig));
  t.false(rsaVerify(publicKey, `${msg}x`, sig));
});
