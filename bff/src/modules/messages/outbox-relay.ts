import { MESSAGE_EVENT_TYPES, MESSAGE_TEMPLATES, type MessageEventType } from '@linli/contracts';
import type { Core } from '../../core.js';
import { isDuplicateKeyError } from '../../common/errors.js';

/** Collections whose documents carry an `outbox` array (see common/outbox.ts). */
export const OUTBOX_SOURCES = ['orders', 'groups'] as const;

/** Documents read per source collection per relay pass. */
const DOCS_PER_PASS = 200;

interface RawEntry {
  key?: unknown;
  type?: unknown;
  userId?: unknown;
  data?: unknown;
  page?: unknown;
  createdAt?: unknown;
}

const isType = (t: unknown): t is MessageEventType => typeof t === 'string' && (MESSAGE_EVENT_TYPES as readonly string[]).includes(t);

/**
 * Copies outbox entries of orders and groups into `messages` (`_id` = entry key, so a copy made twice
 * is one row), then removes exactly the copied entries from their document with `$pullAll` of the
 * values read (FerretDB has no `$pull` by condition). A crash between the two steps only repeats the
 * copy, which the unique key absorbs. Entries pushed meanwhile stay for the next pass.
 * Answers how many rows were new.
 */
export async function relayOutbox(core: Core): Promise<number> {
  const db = core.conn.db;
  if (!db) throw new Error('database not connected');
  let relayed = 0;
  for (const source of OUTBOX_SOURCES) {
    const coll = db.collection<{ _id: string; outbox: RawEntry[] }>(source);
    const docs = await coll.find({ 'outbox.0': { $exists: true } }, { projection: { outbox: 1 } }).limit(DOCS_PER_PASS).toArray();
    for (const doc of docs) {
      const now = core.clock.now();
      const rows = [];
      for (const e of doc.outbox) {
        if (typeof e?.key !== 'string' || !e.key) {
          core.logger.error({ source, docId: doc._id, entry: e }, 'outbox entry without a key dropped');
          continue;
        }
        const valid = isType(e.type) && typeof e.userId === 'string' && e.userId.length > 0;
        const eventAt = e.createdAt instanceof Date ? e.createdAt : now;
        rows.push({
          _id: e.key,
          type: isType(e.type) ? e.type : 'GroupSucceeded',
          userId: typeof e.userId === 'string' ? e.userId : '',
          templateId: isType(e.type) ? MESSAGE_TEMPLATES[e.type].templateId : '',
          data: e.data && typeof e.data === 'object' ? e.data : {},
          page: typeof e.page === 'string' ? e.page : '',
          source: `${source}:${doc._id}`,
          status: valid ? 'pending' : 'failed',
          attempts: 0,
          nextAttemptAt: now,
          claimedUntil: null,
          claimToken: null,
          consentTaken: false,
          lastError: valid ? null : `BAD_OUTBOX_ENTRY: type ${String(e.type)}, userId ${String(e.userId)}`,
          sentAt: null,
          eventAt,
          createdAt: now,
          updatedAt: now,
        });
      }
      if (rows.length > 0) relayed += await insertNew(core, rows);
      await coll.updateOne({ _id: doc._id }, { $pullAll: { outbox: doc.outbox } });
    }
  }
  return relayed;
}

async function insertNew(core: Core, rows: Record<string, unknown>[]): Promise<number> {
  try {
    const r = await core.m.Message.collection.insertMany(rows as never[], { ordered: false });
    return r.insertedCount;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const e = err as { insertedCount?: number; result?: { insertedCount?: number } };
    return e.insertedCount ?? e.result?.insertedCount ?? 0;
  }
}
