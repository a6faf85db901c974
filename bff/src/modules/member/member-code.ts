import { createHmac, timingSafeEqual } from 'node:crypto';

/** The member code rotates every 30 s … */
export const MEMBER_CODE_WINDOW_MS = 30_000;
/** … and the till accepts it for at most 60 s after its window began (so a screenshot soon expires). */
export const MEMBER_CODE_MAX_AGE_MS = 60_000;

const PREFIX = 'LM1';
const FORMAT = /^LM1\.((?:88|66)\d{8})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

const mac = (secret: string, cardNo: string, window: number) =>
  createHmac('sha256', secret).update(`${PREFIX}.${cardNo}.${window}`).digest('base64url').slice(0, 22);

/** The code of a card for the window holding `nowMs`, and when that window ends. */
export function memberCodeFor(secret: string, cardNo: string, nowMs: number): { code: string; expiresAt: Date } {
  const window = Math.floor(nowMs / MEMBER_CODE_WINDOW_MS);
  return { code: `${PREFIX}.${cardNo}.${window}.${mac(secret, cardNo, window)}`, expiresAt: new Date((window + 1) * MEMBER_CODE_WINDOW_MS) };
}

export type MemberCodeCheck = { ok: true; cardNo: string } | { ok: false; reason: 'MEMBER_CODE_INVALID' | 'MEMBER_CODE_EXPIRED' };

/** Checks the HMAC (constant time) and the age: a code from a window that began over 60 s ago is expired. */
export function verifyMemberCode(secret: string, code: string, nowMs: number): MemberCodeCheck {
  const m = FORMAT.exec(code);
  if (!m) return { ok: false, reason: 'MEMBER_CODE_INVALID' };
  const [, cardNo, w, sig] = m;
  const window = Number(w);
  const expected = Buffer.from(mac(secret, cardNo, window));
  const got = Buffer.from(sig);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return { ok: false, reason: 'MEMBER_CODE_INVALID' };
  const age = nowMs - window * MEMBER_CODE_WINDOW_MS;
  if (age < 0) return { ok: false, reason: 'MEMBER_CODE_INVALID' };
  if (age > MEMBER_CODE_MAX_AGE_MS) return { ok: false, reason: 'MEMBER_CODE_EXPIRED' };
  return { ok: true, cardNo };
}
