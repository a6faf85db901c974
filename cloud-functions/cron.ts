/**
 * The host's timer-trigger cron: seven fields `second minute hour day-of-month month day-of-week year`,
 * each `*`, a number, `a-b`, `a,b,c` or a step `* /n` / `a-b/n` (written without the space).
 * Day-of-week 0 is Sunday (7 too).
 */
export interface Cron {
  source: string;
  matches(d: Date): boolean;
  /** The first matching whole second strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS: readonly [string, number, number][] = [
  ['second', 0, 59],
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day', 1, 31],
  ['month', 1, 12],
  ['weekday', 0, 7],
  ['year', 1970, 2199],
];

function parseField(text: string, min: number, max: number, what: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`bad cron ${what} field "${text}"`);
    let [lo, hi] = [min, max];
    if (m[1] !== '*') {
      const [a, b] = m[1].split('-').map(Number);
      [lo, hi] = [a, b ?? (m[2] ? max : a)];
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) throw new Error(`cron ${what} field "${text}" out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a 7-field timer cron; throws naming the bad field. */
export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 7) throw new Error(`cron "${source}" must have 7 fields (sec min hour day month weekday year)`);
  const sets = parts.map((p, i) => parseField(p, FIELDS[i][1], FIELDS[i][2], FIELDS[i][0]));
  if (sets[5].has(7)) sets[5].add(0);
  const [sec, min, hour, day, month, weekday, year] = sets;
  const matches = (d: Date) =>
    sec.has(d.getSeconds()) &&
    min.has(d.getMinutes()) &&
    hour.has(d.getHours()) &&
    day.has(d.getDate()) &&
    month.has(d.getMonth() + 1) &&
    weekday.has(d.getDay()) &&
    year.has(d.getFullYear());
  return {
    source,
    matches,
    next(after) {
      const d = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      // Walk second by second inside a matching minute, minute by minute otherwise: a year at most.
      for (let i = 0; i < 600_000; i++) {
        if (min.has(d.getMinutes()) && hour.has(d.getHours()) && day.has(d.getDate()) && month.has(d.getMonth() + 1) && weekday.has(d.getDay()) && year.has(d.getFullYear())) {
          for (let s = d.getSeconds(); s < 60; s++) {
            if (sec.has(s)) {
              d.setSeconds(s);
              return d;
            }
          }
        }
        d.setSeconds(0);
        d.setMinutes(d.getMinutes() + 1);
      }
      throw new Error(`cron "${source}" never fires`);
    },
  };
}
