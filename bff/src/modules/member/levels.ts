import { MEMBER_LEVELS, type MemberLevel } from '@linli/contracts';

/** The level reached with these lifetime points (levels never depend on the spendable balance). */
export function levelFor(lifetimePoints: number): MemberLevel {
  let level: MemberLevel = MEMBER_LEVELS[0];
  for (const l of MEMBER_LEVELS) if (lifetimePoints >= l.minLifetimePoints) level = l;
  return { ...level };
}

/** The next level and the lifetime points still missing, or null at the top. */
export function nextLevelFor(lifetimePoints: number): (MemberLevel & { pointsToGo: number }) | null {
  const next = MEMBER_LEVELS.find((l) => l.minLifetimePoints > lifetimePoints);
  return next ? { ...next, pointsToGo: next.minLifetimePoints - lifetimePoints } : null;
}

/** Points a till receipt earns: one per whole yuan. */
export const pointsForAmount = (amountCents: number) => Math.floor(amountCents / 100);
