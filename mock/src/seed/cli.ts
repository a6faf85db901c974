import { connectDb } from '@linli/bff/common/db';
import { seed } from './seed.js';

/** `npm run seed`: seeds the database named by MONGO_URL / DB_NAME (defaults: the demo database). */
const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27117/';
const dbName = process.env.DB_NAME ?? 'linli';
const conn = await connectDb(url, dbName);
const started = Date.now();
const report = await seed(conn);
await conn.close();
const inserted = Object.entries(report).map(([k, v]) => `${k} +${v.inserted} (${v.total})`).join(', ');
console.log(`[seed] ${dbName}: ${inserted} in ${Date.now() - started} ms`);
