import { MESSAGE_EVENT_TYPES, MESSAGE_TEMPLATES, type MessageEventType } from '@linli/contracts';
import type { MessagesDeps } from './messages.deps.js';
import { isDuplicateKeyError } from '../../common/errors.js';

/** Collections whose documents carry an `outbox` array (see common/outbox.ts). */
export const OUTBOX_SOURCES = ['orders', 'groups'] as const;

/**
 * Entries are read back this far before the last pass began: a writer stamps `createdAt` before its
 * update lands (lock waits, slow requests), so an entry may appear a little after its time.
 */
export const RELAY_SLACK_MS = 15 * 60_000;

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
 * Copies new outbox entries of orders and groups into `messages`, one row per entry key (`_id`), so
 * an entry copied twice, by overlapping passes or instances, is still one row. The relay only reads
 * the source documents: on FerretDB v1 every update rewrites the whole document from what it read, so
 * a `$pull` racing with the owning module's state change could undo that change. It reads entries
 * created since its last complete pass (less RELAY_SLACK_MS) instead. Answers how many rows were new.
 */
export async function relayOutbox(deps: MessagesDeps): Promise<number> {
  const db = deps.conn.db;
  if (!db) throw new Error('database not connected');
  let relayed = 0;
  for (const source of OUTBOX_SOURCES) {
    const passStart = deps.clock.now();
    const mark = await deps.m.RelayMark.findById(source).lean();
    const since = mark ? new Date(mark.since.getTime() - RELAY_SLACK_MS) : new Date(0);
    const docs = await db
      .collection<{ _id: string; storeId?: unknown; outbox?: RawEntry[] }>(source)
      .find({ 'outbox.createdAt': { $gte: since } }, { projection: { outbox: 1, storeId: 1 } })
      .toArray();
    const rows = [];
    for (const doc of docs) {
      for (const e of doc.outbox ?? []) {
        if (!(e?.createdAt instanceof Date) || e.createdAt < since) continue;
        if (typeof e.key !== 'string' || !e.key) {
          deps.logger.error({ source, docId: doc._id, entry: e }, 'outbox entry without a key ignored');
          continue;
        }
        const row = toRow(source, doc._id, e as RawEntry & { key: string; createdAt: Date }, passStart);
        // The pickup store is on the order or group itself; templates show its name.
        if (typeof doc.storeId === 'string' && !('storeName' in row.data)) {
          const storeName = await storeNameOf(deps, doc.storeId);
          if (storeName) row.data = { ...row.data, storeName };
        }
        rows.push(row);
      }
    }
    if (rows.length > 0) {
      const known = new Set((await deps.m.Message.find({ _id: { $in: rows.map((r) => r._id) } }, { _id: 1 }).lean()).map((r) => String(r._id)));
      const fresh = rows.filter((r) => !known.has(r._id));
      if (fresh.length > 0) relayed += await insertNew(deps, fresh);
    }
    await deps.m.RelayMark.updateOne({ _id: source }, { $set: { since: passStart, updatedAt: passStart } }, { upsert: true }).catch((err: unknown) => {
      // Two first passes upserting at once: the other one's mark is as good as ours.
      if (!isDuplicateKeyError(err)) throw err;
    });
  }
  return relayed;
}

async function storeNameOf(deps: MessagesDeps, storeId: string): Promise<string | undefined> {
  try {
    return (await deps.storeName(storeId)) ?? undefined;
  } catch {
    return undefined;
  }
}

function toRow(source: string, docId: string, e: RawEntry & { key: string; createdAt: Date }, now: Date) {
  const valid = isType(e.type) && typeof e.userId === 'string' && e.userId.length > 0;
  return {
    _id: e.key,
    type: isType(e.type) ? e.type : 'GroupSucceeded',
    userId: typeof e.userId === 'string' ? e.userId : '',
    templateId: isType(e.type) ? MESSAGE_TEMPLATES[e.type].templateId : '',
    data: (e.data && typeof e.data === 'object' ? e.data : {}) as Record<string, unknown>,
    page: typeof e.page === 'string' ? e.page : '',
    source: `${source}:${docId}`,
    status: valid ? 'pending' : 'failed',
    attempts: 0,
    nextAttemptAt: now,
    claimedUntil: null,
    claimToken: null,
    consentTaken: false,
    lastError: valid ? null : `BAD_OUTBOX_ENTRY: type ${String(e.type)}, userId ${String(e.userId)}`,
    sentAt: null,
    eventAt: e.createdAt,
    createdAt: now,
    updatedAt: now,
  };
}

async function insertNew(deps: MessagesDeps, rows: Record<string, unknown>[]): Promise<number> {
  try {
    const r = await deps.m.Message.collection.insertMany(rows as never[], { ordered: false });
    return r.insertedCount;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const e = err as { insertedCount?: number; result?: { insertedCount?: number } };
    return e.insertedCount ?? e.result?.insertedCount ?? 0;
  }
}
