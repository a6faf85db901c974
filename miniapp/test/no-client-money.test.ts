import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

// Arithmetic on an amount in cents: `x.priceCents * qty`, `a.totalCents + b`, `- l.unitPriceCents`, a
// reduce over amounts. The miniapp shows what the BFF priced; it never computes money.
const MONEY_MATH = [/\w*Cents\b\s*[-+*/]\s*[\w(]/, /[\w)]\s*[-+*/]\s*[\w.]*Cents\b/, /reduce\([^)]*Cents/];

test('no page, component or service of the miniapp does arithmetic on money (cents)', (t) => {
  const found: string[] = [];
  for (const f of files(src)) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/`[^`]*`/g, (m) => m.replace(/\$\{[^}]*\}/g, (x) => (/Cents/.test(x) && MONEY_MATH.some((r) => r.test(x)) ? x : '')));
        // yuan() divides cents for display only; that is formatting, not pricing.
        if (/export function yuan/.test(code) || /cents \/ 100/.test(code)) return;
        if (MONEY_MATH.some((r) => r.test(code))) found.push(`${path.relative(src, f)}:${i + 1}: ${line.trim()}`);
      });
  }
  t.deepEqual(found, []);
});
