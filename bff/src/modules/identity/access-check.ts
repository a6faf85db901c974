import DataLoader from 'dataloader';
import { KeyedFreshReader } from '../../common/fresh-read.js';
import type { IdentityModels } from './identity.model.js';

/**
 * Whether an access token still speaks for its user (issue 18, hole 10): the user exists and the
 * token carries the user's current `tokenVersion`. Logout (and a refresh-token replay) moves the
 * version, so every access token minted before it answers 401 at once on this instance, and within
 * `maxAgeMs` on any other. Cheap on the read path: one `_id` read of one field per user, shared by
 * concurrent requests and reused for `maxAgeMs` unless this process moved a version meanwhile. The
 * reads of different users go as one `{_id: {$in}}` query per round trip (those asked while one is in
 * flight wait for it and go together), so a rush of 2,000 distinct users asks the database a few
 * dozen times, not 2,000.
 */
export class AccessCheck {
  private epoch = 0;
  private readonly reads: KeyedFreshReader<string, number | null>;

  constructor(models: Pick<IdentityModels, 'User'>, maxAgeMs: number) {
    // No cache of its own (freshness is KeyedFreshReader's job): it only batches the reads that
    // start in one turn, so each still starts after its caller asked.
    const batch = new DataLoader<string, number | null>(
      async (ids) => {
        try {
          // The driver's find: every authenticated request may come here, mongoose's query layer is skipped.
          const users = (await models.User.collection.find({ _id: { $in: [...ids] } } as never, { projection: { tokenVersion: 1 } }).toArray()) as unknown as { _id: string; tokenVersion?: number }[];
          const byId = new Map(users.map((u) => [u._id, u.tokenVersion ?? 0]));
          return ids.map((id) => byId.get(id) ?? null);
        } finally {
          this.settled();
        }
      },
      { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => this.schedule(run) },
    );
    this.reads = new KeyedFreshReader(
      (userId) => batch.load(userId),
      { maxAgeMs, epoch: () => this.epoch, maxKeys: 50_000 },
    );
  }

  private inFlight = 0;
  private queued: (() => void)[] = [];

  /**
   * When the next batch goes: at the end of this turn if none is in flight, else as soon as the one
   * in flight returns, so under load the reads of a whole round trip share one query.
   */
  private schedule(run: () => void): void {
    const go = () => {
      this.inFlight++;
      run(); // the batch function calls `settled()` when its query is done
    };
    if (this.inFlight === 0) setImmediate(go);
    else this.queued.push(go);
  }

  private settled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const next = this.queued.shift();
    if (next) setImmediate(next);
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
