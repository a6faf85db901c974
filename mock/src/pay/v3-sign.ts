import { createCipheriv, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * The platform's side of Pay API v3: an RSA key pair made at start (its public key is served by
 * serial, as the platform public key mode does), signatures over `timestamp\nnonce\nbody\n`, and
 * resources encrypted with AEAD_AES_256_GCM under the merchant's API v3 key.
 */
export class PlatformKeys {
  private pair?: { privateKey: KeyObject; publicKey: KeyObject };
  readonly serial = `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;

  private get keys() {
    this.pair ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.pair;
  }

  publicKeyPem(): string {
    return this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(message: string): string {
    return createSign('RSA-SHA256').update(message).sign(this.keys.privateKey, 'base64');
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function nonceStr(len = 32): string {
  const b = randomBytes(len);
  return Array.from(b, (x) => ALNUM[x % ALNUM.length]).join('');
}

export function encryptResource(apiV3Key: string, plaintext: string, associatedData: string) {
  const nonce = nonceStr(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const enc = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: enc.toString('base64'), associated_data: associatedData, nonce };
}

/** Signed headers for one delivery of a body (fresh timestamp and nonce each time, as the host does). */
export function signedHeaders(keys: PlatformKeys, body: string, nowMs: number, override: { timestamp?: string } = {}) {
  const timestamp = override.timestamp ?? String(Math.floor(nowMs / 1000));
  const nonce = nonceStr(32);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': keys.sign(`${timestamp}\n${nonce}\n${body}\n`),
    'Wechatpay-Serial': keys.serial,
  };
}
