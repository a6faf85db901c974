import autocannon from 'autocannon';
import type { Connection } from 'mongoose';
import type { Models } from '../src/composition.js';

/** One line of the results table. Throughput rows fill reqPerSec/p50Ms/p99Ms; others use value/unit. */
export interface Row {
  scenario: string;
  name: string;
  reqPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Throughput as a share of the bare route returning the same bytes (0.5 = 50 %). */
  ratioToBare?: number;
  value?: number | string;
  unit?: string;
  /** A budget from DESIGN.md this row is held to, and whether the run met it. */
  budget?: string;
  pass?: boolean;
  note?: string;
}

export interface LoadOptions {
  /** Path (with query) on the BFF, or a full URL. */
  path: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  connections?: number;
  durationS?: number;
  /** Alternatively a fixed number of requests (then durationS is ignored). */
  amount?: number;
  /** Seconds before autocannon gives up on one request (default 10). */
  timeoutS?: number;
}

export interface LoadStats {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses with a 2xx status. */
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** What every scenario gets: a seeded BFF of its own, a bare route to compare with, and helpers. */
export interface BenchContext {
  /** The BFF under test (its API is under /api/v1). */
  bffUrl: string;
  /** A bare Koa server in the same process as the BFF: `PUT /bytes/:key` stores a body, `GET /bytes/:key` returns it. */
  bareUrl: string;
  mongoUrl: string;
  dbName: string;
  /** Default load settings of this run (64 connections; seconds per measurement). */
  connections: number;
  durationS: number;
  /** Drives load with autocannon at the run's defaults unless overridden. */
  load(opts: LoadOptions): Promise<LoadStats>;
  /** Measures a GET route of the BFF and the bare route serving the very same bytes; returns both rows. */
  compareWithBare(scenario: string, name: string, path: string, opts?: { headers?: Record<string, string>; budget?: (route: Row, bare: Row) => { text: string; pass: boolean } }): Promise<Row[]>;
  /** An access token the BFF accepts (signed with the run's JWT secret). */
  tokenFor(userId: string, roles?: ('customer' | 'clerk' | 'admin')[], storeIds?: string[]): Promise<string>;
  /** The bench database, for setting up data; shared, closed by the harness. */
  conn: Connection;
  models: Models;
  log(message: string): void;
}

/** A benchmark scenario: add a file to bff/bench/scenarios/ and a line to its index.ts. */
export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs autocannon against a full URL. */
export async function runLoad(url: string, o: Omit<LoadOptions, 'path'> & { connections: number; durationS: number }): Promise<LoadStats> {
  const r = await autocannon({
    url,
    method: o.method ?? 'GET',
    headers: o.headers,
    body: o.body,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.durationS }),
    timeout: o.timeoutS ?? 10,
  });
  return {
    reqPerSec: round(r.requests.average, 0),
    p50Ms: round(r.latency.p50),
    p99Ms: round(r.latency.p99),
    requests: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
