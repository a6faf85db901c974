import test from 'ava';
import { randomBytes } from 'node:crypto';
import { connectDb } from '../src/common/db.js';
import { testMongoUrl } from './helpers.js';

// Every invariant of Linli rests on MongoDB's promise that one single-document write is atomic. These
// tests race hundreds of writers on one document to prove the database in use keeps that promise
// (the embedded FerretDB needs scripts/ferretdb/proxy.go for it).

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
