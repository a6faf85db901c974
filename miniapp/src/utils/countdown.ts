/** What a countdown shows at one instant. Pure: the caller passes `now` (and any server skew). */
export interface CountdownState {
  /** Milliseconds left, never negative. */
  remainingMs: number;
  expired: boolean;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** 剩余 text: `HH:MM:SS`, or `N天 HH:MM:SS` beyond a day, `00:00:00` when over. */
  text: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The countdown to `target` at `now`. `skewMs` is server time minus device time (so a wrong device
 * clock does not change what is shown); seconds round up so `00:00:00` appears only when expired.
 */
export function countdown(target: string | number | Date, now: number, skewMs = 0): CountdownState {
  const targetMs = typeof target === 'number' ? target : new Date(target).getTime();
  const remainingMs = Number.isFinite(targetMs) ? Math.max(0, targetMs - (now + skewMs)) : 0;
  const totalS = Math.ceil(remainingMs / 1000);
  const days = Math.floor(totalS / 86400);
  const hours = Math.floor((totalS % 86400) / 3600);
  const minutes = Math.floor((totalS % 3600) / 60);
  const seconds = totalS % 60;
  const hms = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return { remainingMs, expired: remainingMs <= 0, days, hours, minutes, seconds, text: days > 0 ? `${days}天 ${hms}` : hms };
}

/** Milliseconds until the shown text next changes (so a timer ticks exactly on the second). */
export function nextTickMs(target: string | number | Date, now: number, skewMs = 0): number {
  const { remainingMs, expired } = countdown(target, now, skewMs);
  if (expired) return Infinity;
  const rem = remainingMs % 1000;
  return rem === 0 ? 1000 : rem;
}
