import { randomBytes } from 'node:crypto';
import type { Host } from '../host.js';

/** How long a host-issued one-time code lives, as on the real platform. */
export const CODE_TTL_MS = 5 * 60 * 1000;

export type TakeResult<T> = { ok: true; value: T } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * One-time codes that expire after five minutes of host time: `issue` mints one for a value, `take`
 * hands the value back once and never again.
 */
export class OneTimeCodes<T> {
  private readonly codes = new Map<string, { value: T; expiresAt: number; used: boolean }>();
  constructor(private readonly host: Host) {}

  issue(value: T): string {
    this.sweep();
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { value, expiresAt: this.host.now() + CODE_TTL_MS, used: false });
    return code;
  }

  take(code: string): TakeResult<T> {
    const entry = this.codes.get(code);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.used) return { ok: false, reason: 'used' };
    if (this.host.now() >= entry.expiresAt) return { ok: false, reason: 'expired' };
    entry.used = true;
    return { ok: true, value: entry.value };
  }

  private sweep() {
    const now = this.host.now();
    if (this.codes.size < 10_000) return;
    for (const [k, v] of this.codes) if (now >= v.expiresAt + CODE_TTL_MS) this.codes.delete(k);
  }
}

/** The body of a /dev request, or undefined when it is not an object. */
export function bodyOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined);
