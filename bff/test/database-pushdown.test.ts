import test, { type ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { connectDb } from '../src/common/db.js';
import { testMongoUrl } from './helpers.js';

// Queries by fields other than _id ({userId, status} before an order, {visitorId, dealId} in a join):
// the embedded FerretDB now pushes a plain string equality down to SQLite (scripts/ferretdb/patches/
// 0003). These tests state what that must never change — MongoDB's equality semantics, arrays
// included — and that such a query is answered from the field's index, not by reading every document.

type Doc = { _id: string; f?: unknown; g?: unknown; hit?: number };

async function collection(t: ExecutionContext, name: string) {
  const conn = await connectDb(testMongoUrl(), `t_push_${randomBytes(4).toString('hex')}`);
  t.teardown(async () => {
    await conn.dropDatabase();
    await conn.close();
  });
  return conn.db!.collection<Doc>(name);
}

const MIXED: Doc[] = [
  { _id: 'a01', f: 'x', g: 'y' },
  { _id: 'a02', f: ['x', 'z'], g: 'y' }, // an array holding the value: MongoDB equality matches it
  { _id: 'a03', f: 'xx' },
  { _id: 'a04', f: null },
  { _id: 'a05' },
  { _id: 'a06', f: 5 },
  { _id: 'a07', f: { k: 'x' } },
  { _id: 'a08', f: '苹果' },
  { _id: 'a10', f: 'x', g: ['y'] },
  { _id: 'a11', f: 'X' },
  { _id: 'a12', f: 'x', g: 'z' },
  { _id: 'a13', f: [1, 'x'] },
  { _id: 'a14', f: 'x"y' },
  { _id: 'a15', f: [] },
];

const ids = (docs: { _id: string }[]) => docs.map((d) => d._id).sort();

test('string equalities on non-_id fields keep MongoDB semantics: arrays holding the value match, nothing else does', async (t) => {
  const c = await collection(t, 'mixed');
  await c.insertMany(MIXED);
  const cases: [Record<string, unknown>, string[]][] = [
    [{ f: 'x' }, ['a01', 'a02', 'a10', 'a12', 'a13']],
    [{ f: { $eq: 'x' } }, ['a01', 'a02', 'a10', 'a12', 'a13']],
    [{ f: { $eq: 'x', $exists: true } }, ['a01', 'a02', 'a10', 'a12', 'a13']],
    [{ f: 'x', g: 'y' }, ['a01', 'a02', 'a10']],
    [{ g: 'y', f: 'x' }, ['a01', 'a02', 'a10']],
    [{ f: 'x', g: { $ne: 'z' } }, ['a01', 'a02', 'a10', 'a13']],
    [{ f: 'z' }, ['a02']],
    [{ f: 'X' }, ['a11']],
    [{ f: 'xx' }, ['a03']],
    [{ f: '苹果' }, ['a08']],
    [{ f: 'x"y' }, ['a14']],
    [{ f: 'nothing' }, []],
    [{ _id: 'a02', f: 'x' }, ['a02']],
    [{ _id: 'a03', f: 'x' }, []],
    [{ _id: { $in: ['a01', 'a02', 'a03'] }, f: 'x', g: 'y' }, ['a01', 'a02']],
  ];
  for (const [filter, want] of cases) {
    t.deepEqual(ids(await c.find(filter).toArray()), want, `find ${JSON.stringify(filter)}`);
    t.is(await c.countDocuments(filter), want.length, `count ${JSON.stringify(filter)}`);
  }

  // Writes select the same documents.
  const many = await c.updateMany({ f: 'x' }, { $set: { hit: 1 } });
  t.is(many.matchedCount, 5);
  t.deepEqual(ids(await c.find({ hit: 1 }).toArray()), ['a01', 'a02', 'a10', 'a12', 'a13']);
  const one = await c.updateOne({ f: 'x', g: 'y', _id: 'a10' }, { $inc: { hit: 1 } });
  t.is(one.modifiedCount, 1);
  t.is((await c.findOne({ _id: 'a10' }))?.hit, 2);
  const moved = await c.findOneAndUpdate({ f: { $eq: 'xx' } }, { $set: { f: 'yy' } }, { returnDocument: 'after' });
  t.deepEqual(moved, { _id: 'a03', f: 'yy' });
  t.is((await c.deleteOne({ f: 'x', g: 'z' })).deletedCount, 1);
  t.is(await c.findOne({ _id: 'a12' }), null);
  t.is((await c.deleteMany({ f: 'z' })).deletedCount, 1);
  t.is(await c.countDocuments({}), MIXED.length - 2);
});

type Plan = { queryPlanner?: { Plan?: string[] } & Record<string, unknown>; serverInfo?: Record<string, unknown>; filterPushdown?: boolean };

test('on 5,000 documents {userId, status} is answered from the userId index, and returns exactly its matches', async (t) => {
  const c = await collection(t, 'orders');
  await c.createIndex({ f: 1, createdAt: -1 } as never);
  const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: `o${i}`, f: `u_${i % 100}`, g: i % 3 ? 'paid' : 'pending_payment' }));
  for (let i = 0; i < docs.length; i += 1000) await c.insertMany(docs.slice(i, i + 1000));
  const filter = { f: 'u_7', g: 'pending_payment' };
  const want = docs.filter((d) => d.f === 'u_7' && d.g === 'pending_payment').map((d) => d._id).sort();
  t.deepEqual(ids(await c.find(filter).toArray()), want);

  const e = (await c.find(filter).explain()) as Plan;
  if (e.serverInfo && 'ferretdbVersion' in e.serverInfo) {
    const plan = e.queryPlanner?.Plan ?? [];
    t.true(e.filterPushdown, 'FerretDB pushed the filter down to SQLite');
    t.true(plan.some((l) => /\bSEARCH \S+ USING INDEX\b/.test(l)) && !plan.some((l) => /\bSCAN\b/.test(l)), plan.join(' | '));
  } else {
    t.regex(JSON.stringify(e.queryPlanner ?? e), /IXSCAN/);
  }
});
