import { randomInt } from 'node:crypto';
import type { InviteDto, RedeemInviteResponse } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import type { IdentityModels } from './identity.model.js';
import type { IdentityService } from './identity.service.js';

/** Invites are good for 7 days. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export interface InviteServiceDeps {
  models: IdentityModels;
  clock: Clock;
  identity: IdentityService;
  /** Throws 404 STORE_NOT_FOUND for an unknown store. */
  assertStore(storeId: string): Promise<void>;
}

/** Clerk invites: admins make them per store; a user redeems one, once, to become that store's clerk. */
export class InviteService {
  constructor(private readonly d: InviteServiceDeps) {}

  /** A new invite code for a store (404 STORE_NOT_FOUND for unknown stores). */
  async create(adminId: string, storeId: string): Promise<InviteDto> {
    await this.d.assertStore(storeId);
    const expiresAt = new Date(this.d.clock.now().getTime() + INVITE_TTL_MS);
    for (let attempt = 0; ; attempt++) {
      const code = newCode();
      try {
        await this.d.models.ClerkInvite.create({ _id: code, storeId, createdBy: adminId, expiresAt });
        return { code, storeId, expiresAt: expiresAt.toISOString() };
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt > 3) throw err;
      }
    }
  }

  /**
   * Redeems an invite: the first caller wins it (one guarded update `{redeemedBy: null, not expired}`)
   * and becomes a clerk of its store; a retry by the same user is harmless; anyone else gets 409
   * INVITE_ALREADY_REDEEMED. Answers a fresh access token, since tokens carry roles.
   */
  async redeem(userId: string, code: string): Promise<RedeemInviteResponse> {
    const now = this.d.clock.now();
    const invites = this.d.models.ClerkInvite;
    const invite = await invites.findById(code).lean();
    if (!invite) throw new NotFoundError('Invite', 'INVITE_NOT_FOUND');
    const won = (await invites.updateOne({ _id: code, redeemedBy: null, expiresAt: { $gt: now } }, { $set: { redeemedBy: userId, redeemedAt: now } })).modifiedCount === 1;
    if (!won) {
      const after = await invites.findById(code).lean();
      if (after?.redeemedBy && after.redeemedBy !== userId) throw new ConflictError('INVITE_ALREADY_REDEEMED', 'This invite was already used');
      if (!after?.redeemedBy) throw new BusinessRuleError('INVITE_EXPIRED', 'This invite has expired', { expiresAt: invite.expiresAt.toISOString() });
    }
    await this.d.identity.makeClerk(userId, invite.storeId);
    const { accessToken, expiresIn, user } = await this.d.identity.accessTokenFor(userId);
    return { storeId: invite.storeId, accessToken, expiresIn, user };
  }
}
