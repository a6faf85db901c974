// How the demo chain prices things: the way a neighbourhood shop writes its price tags.
import type { SpecSeed } from './data.js';

/** A price a shop would write: whole 10 cents ending in .80 or .90 (also .50 below ¥10). */
export function isShopPrice(cents: number): boolean {
  if (!Number.isInteger(cents) || cents <= 0 || cents % 10 !== 0) return false;
  const jiao = cents % 100;
  return jiao === 80 || jiao === 90 || (cents < 1000 && jiao === 50);
}

/** The shop prices around `cents`, in ascending order (a window wide enough to hold the nearest ones). */
function shopPricesNear(cents: number): number[] {
  const out: number[] = [];
  const yuan = Math.floor(cents / 100);
  for (let y = Math.max(0, yuan - 2); y <= yuan + 2; y += 1) {
    for (const jiao of [50, 80, 90]) if (isShopPrice(y * 100 + jiao)) out.push(y * 100 + jiao);
  }
  return out;
}

/** The shop price nearest to `cents` (the lower one on a tie). */
export function shopPrice(cents: number): number {
  let best = 0;
  for (const p of shopPricesNear(cents)) if (!best || Math.abs(p - cents) < Math.abs(best - cents)) best = p;
  return best;
}

/** The highest shop price below `cents` (strictly). */
export function shopPriceBelow(cents: number): number {
  const below = shopPricesNear(cents).filter((p) => p < cents);
  if (below.length === 0) throw new Error(`no shop price below ${cents}`);
  return below[below.length - 1];
}

/** The lowest shop price above `cents` (strictly). */
export function shopPriceAbove(cents: number): number {
  return shopPricesNear(cents + 100).find((p) => p > cents)!;
}

/** A larger pack costs at most this share of a smaller one's price per unit. */
export const PER_UNIT_SAVING = 0.975;

/**
 * Shop prices for the specs of an item, smallest first, each as near its target as the rules allow.
 * Promises, whatever the targets: every price is a shop price; each spec costs more than the one
 * before; a spec with a quantity costs at least 2.5 % less per unit than every smaller spec with one (so a
 * two-pack is below twice one). Throws when that is impossible, so a bad catalog cannot be seeded.
 */
export function ladder(targetsCents: number[], specs: SpecSeed[]): number[] {
  const prices: number[] = [];
  specs.forEach((spec, i) => {
    let p = shopPrice(targetsCents[i]);
    // The dearest it may be: PER_UNIT_SAVING of every smaller spec's unit price, times its quantity.
    const cap = (q: number) => Math.min(...specs.slice(0, i).flatMap((s, j) => (s.qty === undefined ? [] : [(prices[j] * q * PER_UNIT_SAVING) / s.qty])));
    if (spec.qty !== undefined && p > cap(spec.qty)) p = shopPriceBelow(Math.floor(cap(spec.qty)) + 1);
    if (i > 0 && p <= prices[i - 1]) p = shopPriceAbove(prices[i - 1]);
    if (spec.qty !== undefined && p > cap(spec.qty)) {
      throw new Error(`spec ${spec.name} cannot be priced below the smaller packs per unit (targets ${targetsCents.join(', ')})`);
    }
    prices.push(p);
  });
  return prices;
}

/** The chain's prices of an item's specs: the smallest as given, each larger one `factor` times it. */
export function specPrices(smallestCents: number, specs: SpecSeed[]): number[] {
  const first = shopPrice(smallestCents);
  return ladder(specs.map((s, i) => (i === 0 ? first : first * s.factor)), specs);
}

/** A store's prices of an item's specs: the chain's prices times the store's factor, kept to the rules. */
export function storePrices(chainCents: number[], specs: SpecSeed[], factor: number): number[] {
  return ladder(chainCents.map((p) => p * factor), specs);
}

/** The member price: about 5 % off in 10-cent steps, at least 10 cents, always below the shelf price. */
export function memberPrice(shelfCents: number): number {
  return shelfCents - Math.max(10, Math.round((shelfCents * 0.05) / 10) * 10);
}

/** A group price about a fifth below the solo price, a shop price, below the member price too. */
export function groupPrice(soloCents: number): number {
  const p = shopPrice(soloCents * 0.8);
  const member = memberPrice(soloCents);
  return p < member ? p : shopPriceBelow(member);
}
