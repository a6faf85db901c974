import { LEVEL_PRICE_PERCENT, MEMBER_LEVELS, type MemberLevel } from '@linli/contracts';

/** A level as the API shows it: with its price benefit, so no client keeps its own copy of the table. */
export const levelDto = (l: Omit<MemberLevel, 'pricePercent'>): MemberLevel => ({ ...l, pricePercent: LEVEL_PRICE_PERCENT[l.code] ?? 100 });

/** The level reached with these lifetime points (levels never depend on the spendable balance). */
export function levelFor(lifetimePoints: number): MemberLevel {
  let level: MemberLevel = MEMBER_LEVELS[0];
  for (const l of MEMBER_LEVELS) if (lifetimePoints >= l.minLifetimePoints) level = l;
  return levelDto(level);
}

/** The next level and the lifetime points still missing, or null at the top. */
export function nextLevelFor(lifetimePoints: number): (MemberLevel & { pointsToGo: number }) | null {
  const next = MEMBER_LEVELS.find((l) => l.minLifetimePoints > lifetimePoints);
  return next ? { ...levelDto(next), pointsToGo: next.minLifetimePoints - lifetimePoints } : null;
}

/** Points a till receipt earns: one per whole yuan. */
export const pointsForAmount = (amountCents: number) => Math.floor(amountCents / 100);
