import mongoose, { type Connection } from 'mongoose';

mongoose.set('strictQuery', true);

export interface DbOptions {
  /**
   * Have the driver emit command monitoring events (`commandStarted`, …) on `conn.getClient()`, as
   * tests that count the commands an action sends need. Off by default: it costs every command an event.
   */
  monitorCommands?: boolean;
}

/** Opens a connection of its own (never the global one), so several apps can share one process. */
export async function connectDb(url: string, dbName: string, opts: DbOptions = {}): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    dbName,
    serverSelectionTimeoutMS: 3000,
    maxPoolSize: 50,
    autoIndex: false,
    monitorCommands: opts.monitorCommands ?? false,
  });
  await conn.asPromise();
  return conn;
}

/** Resolves true when the database answers a ping within timeoutMs. */
export async function pingDb(conn: Connection, timeoutMs = 1500): Promise<boolean> {
  const db = conn.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db.command({ ping: 1 }).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
