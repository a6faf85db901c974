import { KeyedFreshReader } from '../../common/fresh-read.js';
import type { IdentityModels } from './identity.model.js';

/**
 * Whether an access token still speaks for its user (issue 18, hole 10): the user exists and the
 * token carries the user's current `tokenVersion`. Logout (and a refresh-token replay) moves the
 * version, so every access token minted before it answers 401 at once on this instance, and within
 * `maxAgeMs` on any other. Cheap on the read path: one `_id` read of one field per user, shared by
 * concurrent requests and reused for `maxAgeMs` unless this process moved a version meanwhile.
 */
export class AccessCheck {
  private epoch = 0;
  private readonly reads: KeyedFreshReader<string, number | null>;

  constructor(models: Pick<IdentityModels, 'User'>, maxAgeMs: number) {
    this.reads = new KeyedFreshReader(
      async (userId) => {
        const u = (await models.User.findById(userId, { tokenVersion: 1 }).lean()) as { tokenVersion?: number } | null;
        return u ? (u.tokenVersion ?? 0) : null;
      },
      { maxAgeMs, epoch: () => this.epoch, maxKeys: 50_000 },
    );
  }

  /** 'ok', or why the token no longer counts. */
  async check(userId: string, version: number): Promise<'ok' | 'revoked' | 'unknown_user'> {
    const current = await this.reads.get(userId);
    if (current === null) return 'unknown_user';
    return current === version ? 'ok' : 'revoked';
  }

  /** Called after this process moved a user's version: no answer read before it is reused. */
  moved(): void {
    this.epoch++;
  }
}
