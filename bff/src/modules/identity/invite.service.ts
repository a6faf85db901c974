import { randomInt } from 'node:crypto';
import type { InviteDto, RedeemInviteResponse } from '@linli/contracts';
import type { Core } from '../../core.js';
import { BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import { claimOnce, onceHolder, type OnceClaim } from './once.js';

/** Invites are good for 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** Clerk invites: admins make them per store; a user redeems one, once, to become that store's clerk. */
export function createInviteService(core: Core) {
  const { m, clock } = core;

  /** Adds the clerk role and the store to the user (idempotent). */
  async function makeClerk(userId: string, storeId: string): Promise<void> {
    const r = await m.User.updateOne({ _id: userId }, { $addToSet: { roles: 'clerk', clerkStoreIds: storeId } });
    if (r.matchedCount === 0) throw new NotFoundError('User', 'USER_NOT_FOUND');
  }

  return {
    /** A new invite code for a store (404 STORE_NOT_FOUND for unknown stores). */
    async create(adminId: string, storeId: string): Promise<InviteDto> {
      await core.services.store.get(storeId);
      const expiresAt = new Date(clock.now().getTime() + INVITE_TTL_MS);
      for (let attempt = 0; ; attempt++) {
        const code = newCode();
        try {
          await m.ClerkInvite.create({ _id: code, storeId, createdBy: adminId, expiresAt });
          return { code, storeId, expiresAt: expiresAt.toISOString() };
        } catch (err) {
          if (!isDuplicateKeyError(err) || attempt > 3) throw err;
        }
      }
    },

    /**
     * Redeems an invite: the first caller wins it (a once-key insert) and becomes a clerk
     * of its store; a retry by the same user is harmless; anyone else gets 409 INVITE_ALREADY_REDEEMED.
     * Answers a fresh access token, since tokens carry roles.
     */
    async redeem(userId: string, code: string): Promise<RedeemInviteResponse> {
      const now = clock.now();
      const invite = await m.ClerkInvite.findById(code).lean();
      if (!invite) throw new NotFoundError('Invite', 'INVITE_NOT_FOUND');
      const key = `invite:${code}`;
      const claim: OnceClaim = invite.expiresAt > now ? await claimOnce(m, key, userId, now) : { won: false, by: await onceHolder(m, key) };
      if (!claim.won && claim.by !== userId) {
        if (claim.by) throw new ConflictError('INVITE_ALREADY_REDEEMED', 'This invite was already used');
        throw new BusinessRuleError('INVITE_EXPIRED', 'This invite has expired', { expiresAt: invite.expiresAt.toISOString() });
      }
      if (!invite.redeemedBy) await m.ClerkInvite.updateOne({ _id: code }, { $set: { redeemedBy: userId, redeemedAt: now } });
      await makeClerk(userId, invite.storeId);
      const { accessToken, expiresIn, user } = await core.services.identity.accessTokenFor(userId);
      return { storeId: invite.storeId, accessToken, expiresIn, user };
    },
  };
}
export type InviteService = ReturnType<typeof createInviteService>;
