import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import pRetry, { AbortError } from 'p-retry';
import type { Host } from '../host.js';
import { encryptResource, signedHeaders, type PlatformKeys } from './v3-sign.js';

/** Faults the dev surface can inject into notification delivery. */
export interface PayFaults {
  /** Extra copies of every notification (each delivered and retried on its own). */
  duplicate: number;
  /** Wait before the first delivery attempt. */
  delayMs: number;
  /** Hold notifications briefly and send each batch in reverse order. */
  reorder: boolean;
  /** The next n delivery attempts fail without reaching the merchant (then retried). */
  failFirst: number;
}
export const NO_FAULTS: PayFaults = { duplicate: 0, delayMs: 0, reorder: false, failFirst: 0 };

export interface NotifyStats {
  queued: number;
  pending: number;
  attempts: number;
  acked: number;
  gaveUp: number;
}

const REORDER_WINDOW_MS = 150;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Sends signed, encrypted notifications to the merchant and retries each one with exponential
 * back-off (p-retry) until it is acknowledged with a 2xx, as the platform does.
 */
export class Notifier {
  faults: PayFaults = { ...NO_FAULTS };
  readonly stats: NotifyStats = { queued: 0, pending: 0, attempts: 0, acked: 0, gaveUp: 0 };
  private readonly abort = new AbortController();
  private held: (() => void)[] = [];
  private idle: (() => void)[] = [];

  constructor(
    private readonly host: Host,
    private readonly keys: PlatformKeys,
  ) {
    // Every delivery in flight listens on the one stop signal.
    setMaxListeners(0, this.abort.signal);
  }

  /** Builds one v3 notification envelope and delivers it (plus any injected duplicates). */
  notify(url: string, eventType: string, summary: string, originalType: 'transaction' | 'refund', resource: object): void {
    const body = JSON.stringify({
      id: randomUUID(),
      create_time: new Date(this.host.now()).toISOString(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: { original_type: originalType, ...encryptResource(this.host.config.PAY_API_V3_KEY, JSON.stringify(resource), originalType) },
    });
    const copies = 1 + this.faults.duplicate;
    for (let i = 0; i < copies; i++) {
      const go = () => void this.deliver(url, body);
      if (this.faults.reorder) {
        this.held.push(go);
        if (this.held.length === 1) setTimeout(() => this.flushReordered(), REORDER_WINDOW_MS);
      } else {
        go();
      }
    }
  }

  private flushReordered() {
    const batch = this.held.reverse();
    this.held = [];
    for (const go of batch) go();
  }

  private async deliver(url: string, body: string): Promise<void> {
    const { config, logger } = this.host;
    this.stats.queued++;
    this.stats.pending++;
    try {
      if (this.faults.delayMs > 0) await sleep(this.faults.delayMs, this.abort.signal);
      await pRetry(
        async () => {
          if (this.abort.signal.aborted) throw new AbortError('host stopped');
          this.stats.attempts++;
          if (this.faults.failFirst > 0) {
            this.faults.failFirst--;
            throw new Error('injected delivery failure');
          }
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...signedHeaders(this.keys, body, this.host.now()) },
            body,
            signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
          });
          await res.arrayBuffer().catch(() => undefined);
          if (res.status < 200 || res.status >= 300) throw new Error(`merchant answered ${res.status}`);
        },
        {
          retries: config.PAY_NOTIFY_RETRIES,
          minTimeout: config.PAY_NOTIFY_MIN_MS,
          maxTimeout: config.PAY_NOTIFY_MAX_MS,
          factor: 2,
          randomize: true,
          signal: this.abort.signal,
        },
      );
      this.stats.acked++;
    } catch (err) {
      this.stats.gaveUp++;
      if (!this.abort.signal.aborted) logger.warn({ err, url }, 'notification given up');
    } finally {
      this.stats.pending--;
      if (this.stats.pending === 0) for (const r of this.idle.splice(0)) r();
    }
  }

  /** Resolves when no notification is waiting for delivery. */
  settled(): Promise<void> {
    if (this.stats.pending === 0 && this.held.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops every retry (for tests and shutdown). */
  stop(): void {
    this.abort.abort();
  }
}
