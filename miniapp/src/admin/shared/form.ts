import { ApiError } from '../../services/api';

/** 12.5 (元, as typed) → 1250 cents; null when it is not an amount. */
export function toCents(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/** A whole number as typed (a leading + or − allowed when `signed`); null when it is not one. */
export function toInt(text: string, signed = false): number | null {
  const t = text.trim().replace(/^[−–]/, '-');
  if (!(signed ? /^[+-]?\d{1,7}$/ : /^\d{1,7}$/).test(t)) return null;
  return Number(t);
}

export const centsText = (cents: number) => (cents / 100).toFixed(2).replace(/\.00$/, '');

/**
 * What a form shows for a failed save: for a 400 the fields the BFF named (in the form's own
 * Chinese labels), otherwise the error's message.
 */
export function formError(e: unknown, labels: Record<string, string>): string {
  if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
    const issues = (e.details?.issues as { path: string }[] | undefined) ?? [];
    const names = [...new Set(issues.map((i) => labels[i.path.split('.')[0]] ?? i.path).filter(Boolean))];
    if (names.length) return `请检查：${names.join('、')}`;
  }
  return (e as Error).message;
}

/** "2026-12-03 09:30" on the store's wall clock (China, UTC+8) → an ISO instant; null when malformed. */
export function fromStoreTime(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
