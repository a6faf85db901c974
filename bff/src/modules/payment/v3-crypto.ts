import { createCipheriv, createDecipheriv, createSign, createVerify, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * Pay API v3 primitives, the merchant's side: RSA-SHA256 signatures over newline-terminated lines,
 * and AEAD_AES_256_GCM resources (ciphertext is base64 of encrypted bytes followed by the 16-byte tag).
 */

/** The message a v3 signature covers: every part followed by `\n`. */
export function signedMessage(...parts: string[]): string {
  return parts.map((p) => `${p}\n`).join('');
}

export function rsaSign(privateKey: KeyObject | string, message: string): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

/** The same signature computed on libuv's thread pool, so the event loop serves requests meanwhile. */
export function rsaSignAsync(privateKey: KeyObject, message: string): Promise<string> {
  return new Promise((resolve, reject) => sign('sha256', Buffer.from(message), privateKey, (err, sig) => (err ? reject(err) : resolve(sig.toString('base64')))));
}

export function rsaVerify(publicKey: KeyObject | string, message: string, signatureB64: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signatureB64, 'base64');
  } catch {
    return false;
  }
}

/** Decrypts a notification resource; throws on a wrong key, nonce, associated data or any tampering. */
export function decryptResource(apiV3Key: string, r: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const buf = Buffer.from(r.ciphertext, 'base64');
  if (buf.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  decipher.setAAD(Buffer.from(r.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(buf.subarray(0, buf.length - 16)), decipher.final()]).toString('utf8');
}

/** The host's side of the same scheme (used by tests and by the mock host). */
export function encryptResource(apiV3Key: string, plaintext: string, associatedData: string, nonce = randomNonce(12)) {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM' as const, ciphertext: enc.toString('base64'), associated_data: associatedData, nonce };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random letters and digits (nonces of v3 are 32 chars for headers, 12 for AES-GCM). */
export function randomNonce(len = 32): string {
  const bytes = randomBytes(len);
  let s = '';
  for (let i = 0; i < len; i++) s += ALNUM[bytes[i] % ALNUM.length];
  return s;
}
