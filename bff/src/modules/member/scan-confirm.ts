import { createHmac, timingSafeEqual } from 'node:crypto';

/** A till confirmation is good for two minutes after the preview. */
export const SCAN_CONFIRM_TTL_MS = 2 * 60_000;

/** What the clerk saw and confirmed: who credits which card for which receipt and amount, until when. */
export interface ScanClaims {
  clerkId: string;
  storeId: string;
  cardNo: string;
  receiptNo: string;
  amountCents: number;
  expMs: number;
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`scan-confirm:${payload}`).digest('base64url');

/** Signs the preview the clerk was shown, so the credit can only be exactly that. */
export function signScanConfirm(secret: string, c: ScanClaims): string {
  const payload = Buffer.from(JSON.stringify([c.clerkId, c.storeId, c.cardNo, c.receiptNo, c.amountCents, c.expMs])).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The claims of a genuine, unexpired confirmation token, else null. */
export function verifyScanConfirm(secret: string, token: string, nowMs: number): ScanClaims | null {
  const m = /^([A-Za-z0-9_-]{1,800})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secret, m[1]));
  const got = Buffer.from(m[2]);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  try {
    const [clerkId, storeId, cardNo, receiptNo, amountCents, expMs] = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as [string, string, string, string, number, number];
    if (expMs <= nowMs) return null;
    return { clerkId, storeId, cardNo, receiptNo, amountCents, expMs };
  } catch {
    return null;
  }
}

/** 88****0001: enough for the member to recognise their card, not enough to read it off the screen. */
export function maskCardNo(cardNo: string): string {
  return `${cardNo.slice(0, 2)}****${cardNo.slice(-4)}`;
}

/** 爱** : the first character, then stars. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.min(2, Math.max(1, chars.length - 1)))}`;
}
