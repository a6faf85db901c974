import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * The signed voucher code: `LV1.<kid>.<orderId>.<storeId>.<expEpochSeconds>.<mac>` where mac is the
 * base64url HMAC-SHA256, under the key named by kid, of everything before it. Without the key a code
 * cannot be made or altered (changing the order, the store, the expiry or the kid breaks the mac).
 */
export const CODE_VERSION = 'LV1';

const PART = /^[A-Za-z0-9_-]{1,64}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;
const EXP = /^\d{1,12}$/;

export interface VoucherClaims {
  kid: string;
  orderId: string;
  storeId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

function payloadOf(c: VoucherClaims): string {
  return [CODE_VERSION, c.kid, c.orderId, c.storeId, String(c.exp)].join('.');
}

/** Signs the claims with the secret of `claims.kid`. */
export function signVoucherCode(claims: VoucherClaims, secret: string): string {
  for (const part of [claims.kid, claims.orderId, claims.storeId]) {
    if (!PART.test(part)) throw new Error(`voucher code part is not code-safe: ${part}`);
  }
  const payload = payloadOf(claims);
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/**
 * Returns the claims of a well-formed code whose mac verifies under a key still in `keys`, else null.
 * Says nothing about expiry: the caller compares `exp` with its clock.
 */
export function verifyVoucherCode(code: string, keys: Readonly<Record<string, string>>): VoucherClaims | null {
  const parts = code.split('.');
  if (parts.length !== 6) return null;
  const [version, kid, orderId, storeId, exp, sig] = parts;
  if (version !== CODE_VERSION || !PART.test(kid) || !PART.test(orderId) || !PART.test(storeId) || !EXP.test(exp) || !MAC.test(sig)) return null;
  if (!Object.hasOwn(keys, kid)) return null;
  const claims: VoucherClaims = { kid, orderId, storeId, exp: Number(exp) };
  const expected = mac(keys[kid], payloadOf(claims));
  const got = Buffer.from(sig, 'base64url');
  // Canonical encoding only: a second spelling of the same mac bytes is not the same code.
  if (got.length !== expected.length || got.toString('base64url') !== sig) return null;
  return timingSafeEqual(got, expected) ? claims : null;
}

/** 12 uniformly random digits from the CSPRNG (leading zeros kept). */
export function randomShortCode(): string {
  const hi = randomInt(0, 1_000_000);
  const lo = randomInt(0, 1_000_000);
  return `${String(hi).padStart(6, '0')}${String(lo).padStart(6, '0')}`;
}

export const SHORT_CODE = /^\d{12}$/;

/** A keyed hash of a presented code for the audit log: lets attempts be correlated, never replayed. */
export function codeFingerprint(code: string, auditKey: string): string {
  return createHmac('sha256', auditKey).update(`voucher-audit:${code}`).digest('base64url').slice(0, 22);
}
