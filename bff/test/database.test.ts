import test from 'ava';
import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';
import { connectDb } from '../src/common/db.js';
import { testMongoUrl } from './helpers.js';

// Every invariant of Linli rests on MongoDB's promise that one single-document write is atomic. These
// tests race hundreds of writers on one document to prove the database in use keeps that promise
// (the embedded FerretDB needs scripts/ferretdb/proxy.go for it). The last one proves that such a
// guarded write finds its document through the _id index, whatever guard fields the filter holds, so
// its cost does not grow with the collection (the embedded FerretDB needs scripts/ferretdb/patches).

async function db(t: import('ava').ExecutionContext) {
  const conn = await connectDb(testMongoUrl(), `t_atomic_${randomBytes(4).toString('hex')}`);
  t.teardown(async () => {
    await conn.dropDatabase();
    await conn.close();
  });
  return conn.db!.collection<{ _id: string; stock?: number; n?: number; status?: string; owner?: string }>('things');
}

test('300 racing conditional decrements on stock 40 succeed exactly 40 times and never go below zero', async (t) => {
  const c = await db(t);
  await c.insertOne({ _id: 'sku', stock: 40 });
  const results = await Promise.all(
    Array.from({ length: 300 }, () => c.updateOne({ _id: 'sku', stock: { $gte: 1 } }, { $inc: { stock: -1 } })),
  );
  t.is(results.filter((r) => r.modifiedCount === 1).length, 40);
  t.is((await c.findOne({ _id: 'sku' }))?.stock, 0);
});

test('300 racing $inc lose no increment', async (t) => {
  const c = await db(t);
  await c.insertOne({ _id: 'counter', n: 0 });
  await Promise.all(Array.from({ length: 300 }, () => c.updateOne({ _id: 'counter' }, { $inc: { n: 1 } })));
  t.is((await c.findOne({ _id: 'counter' }))?.n, 300);
});

test('200 racing compare-and-set moves of one status have exactly one winner (findOneAndUpdate too)', async (t) => {
  const c = await db(t);
  await c.insertOne({ _id: 'order', status: 'open' });
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? c.updateOne({ _id: 'order', status: 'open' }, { $set: { status: 'taken', owner: `u${i}` } }).then((r) => r.modifiedCount === 1)
        : c.findOneAndUpdate({ _id: 'order', status: 'open' }, { $set: { status: 'taken', owner: `u${i}` } }, { returnDocument: 'after' }).then((d) => d !== null),
    ),
  );
  t.is(results.filter(Boolean).length, 1);
  const winner = results.findIndex(Boolean);
  t.is((await c.findOne({ _id: 'order' }))?.owner, `u${winner}`);
});

type Plan = { queryPlanner?: { Plan?: string[] } & Record<string, unknown>; serverInfo?: Record<string, unknown>; filterPushdown?: boolean };

/**
 * Whether the plan the database reports for a query reads by an index, never the whole collection.
 * FerretDB (SQLite backend) reports SQLite's EXPLAIN QUERY PLAN (`SEARCH t USING INDEX …` or
 * `SCAN t`); MongoDB its winning plan (IDHACK/EXPRESS/IXSCAN, never COLLSCAN).
 */
function usesIndex(e: Plan): { ok: boolean; plan: string } {
  if (e.serverInfo && 'ferretdbVersion' in e.serverInfo) {
    const lines = e.queryPlanner?.Plan ?? [];
    return {
      ok: lines.some((l) => /\bSEARCH \S+ USING (COVERING )?INDEX\b/.test(l)) && !lines.some((l) => /\bSCAN\b/.test(l)),
      plan: lines.join(' | '),
    };
  }
  const plan = JSON.stringify(e.queryPlanner ?? e);
  return { ok: /IDHACK|EXPRESS|IXSCAN/.test(plan) && !/COLLSCAN/.test(plan), plan };
}

test('on 20,000 documents a compare-and-set {_id, status} moves exactly its document, and reads it by index', async (t) => {
  const conn = await connectDb(testMongoUrl(), `t_cas_${randomBytes(4).toString('hex')}`);
  t.teardown(async () => {
    await conn.dropDatabase();
    await conn.close();
  });
  type Doc = { _id: string | mongo.ObjectId; status: string; n: number; owner?: string };
  const c = conn.db!.collection<Doc>('orders');
  // 19,000 string ids and 1,000 ObjectIds; every other document is 'open', so a filter that lost its
  // _id part would match thousands.
  const oids = Array.from({ length: 1000 }, () => new mongo.ObjectId());
  const ids: (string | mongo.ObjectId)[] = [...Array.from({ length: 19_000 }, (_, i) => `o${String(i).padStart(5, '0')}`), ...oids];
  for (let i = 0; i < ids.length; i += 1000) {
    await c.insertMany(ids.slice(i, i + 1000).map((_id, k) => ({ _id, status: (i + k) % 2 ? 'open' : 'paid', n: 0 })));
  }
  t.is(await c.countDocuments({}), 20_000);

  // The right _id with the wrong status matches nothing.
  const wrongStatus = await c.updateOne({ _id: 'o18999', status: 'paid' }, { $set: { status: 'taken', owner: 'a' } });
  t.is(wrongStatus.matchedCount, 0);
  t.is(await c.findOneAndUpdate({ _id: oids[999], status: 'paid' }, { $set: { status: 'taken', owner: 'b' } }), null);

  // The right _id with the right status moves that document once, and only it.
  const won = await c.updateOne({ _id: 'o18999', status: 'open' }, { $set: { status: 'taken', owner: 'a' } });
  t.is(won.matchedCount, 1);
  t.is(won.modifiedCount, 1);
  const again = await c.updateOne({ _id: 'o18999', status: 'open' }, { $set: { status: 'taken', owner: 'x' } });
  t.is(again.matchedCount, 0);
  const after = await c.findOneAndUpdate({ _id: oids[999], status: 'open' }, { $set: { status: 'taken', owner: 'b' }, $inc: { n: 1 } }, { returnDocument: 'after' });
  t.deepEqual(after, { _id: oids[999], status: 'taken', n: 1, owner: 'b' });
  t.is(await c.findOneAndUpdate({ _id: oids[999], status: 'open' }, { $set: { owner: 'x' } }), null);
  // A document that was never 'open' stays as it was.
  t.deepEqual(await c.findOne({ _id: 'o00000' }), { _id: 'o00000', status: 'paid', n: 0 });

  t.deepEqual(
    (await c.find({ owner: { $exists: true } }).toArray()).map((d) => [String(d._id), d.owner]).sort(),
    [['o18999', 'a'], [String(oids[999]), 'b']].sort(),
  );
  t.is(await c.countDocuments({ status: 'taken' }), 2);
  t.is(await c.countDocuments({ status: 'open' }), 9_998);

  // The plan for each guarded filter the services use reads by the _id index, whatever else it holds.
  const filters = [
    { _id: 'o12345', status: 'open' },
    { _id: oids[500], status: 'open' },
    { _id: 'o12345', n: { $gte: 0 } },
    { _id: 'o12345', 'owner.k': { $exists: false } },
    { _id: { $in: ['o00001', 'o12345', oids[3]] }, status: 'open' },
  ];
  for (const filter of filters) {
    const { ok, plan } = usesIndex((await c.find(filter).explain()) as Plan);
    t.true(ok, `${JSON.stringify(filter)} → ${plan}`);
  }
});
