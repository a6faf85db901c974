/** ¥12.90 from 1290 cents. */
export function yuan(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

/** 350m / 1.2km */
export function distance(m?: number): string {
  if (m === undefined) return '';
  return m < 1000 ? `${m}m` : `${(m / 1000).toFixed(1)}km`;
}

/** 11-22 14:05 in local time. */
export function shortTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** 123456789012 → 1234 5678 9012 */
export function groupDigits(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}
