/**
 * Read coalescing that never serves a stale answer: every caller gets the result of a read that
 * STARTED after its call, so any write completed before the call is visible. Callers arriving while a
 * read is in flight share the next one, so under N concurrent callers the database sees about one read
 * per round trip instead of N.
 */
export interface FreshnessOptions {
  /**
   * Reuse a result whose read started at most this long ago (0: never). Bounds how stale an answer
   * may be when the change came from another process.
   */
  maxAgeMs?: number;
  /** A counter that moves on every change this process made; a result read before a move is never reused. */
  epoch?: () => number;
}

export class FreshReader<T> {
  private inflight?: Promise<T>;
  private next?: Promise<T>;
  private last?: { value: T; startedAt: number; epoch: number };

  constructor(
    private readonly read: () => Promise<T>,
    private readonly opts: FreshnessOptions = {},
  ) {}

  get(): Promise<T> {
    const { maxAgeMs = 0, epoch } = this.opts;
    const last = this.last;
    if (maxAgeMs > 0 && last && (!epoch || epoch() === last.epoch)) {
      const age = performance.now() - last.startedAt;
      if (age <= maxAgeMs) {
        // Past half its age, refresh in the background so steady traffic never waits for a read.
        if (age > maxAgeMs / 2 && !this.inflight) this.start().catch(() => {});
        return Promise.resolve(last.value);
      }
    }
    if (!this.inflight) return this.start();
    if (!this.next) {
      const settled = this.inflight.then(
        () => undefined,
        () => undefined,
      );
      this.next = settled.then(() => {
        this.next = undefined;
        return this.start();
      });
    }
    return this.next;
  }

  private start(): Promise<T> {
    const startedAt = performance.now();
    const epoch = this.opts.epoch?.() ?? 0;
    const p = this.read()
      .then((value) => {
        if (!this.last || this.last.startedAt <= startedAt) this.last = { value, startedAt, epoch };
        return value;
      })
      .finally(() => {
      if (this.inflight === p) this.inflight = undefined;
    });
    this.inflight = p;
    return p;
  }
}

/** One FreshReader per key (e.g. per store), created on first use. */
export class KeyedFreshReader<K, T> {
  private readonly readers = new Map<K, FreshReader<T>>();

  constructor(
    private readonly read: (key: K) => Promise<T>,
    private readonly opts: FreshnessOptions & { maxKeys?: number } = {},
  ) {}

  get(key: K): Promise<T> {
    let r = this.readers.get(key);
    if (!r) {
      if (this.readers.size >= (this.opts.maxKeys ?? 10_000)) this.readers.clear();
      r = new FreshReader(() => this.read(key), this.opts);
      this.readers.set(key, r);
    }
    return r.get();
  }
}

/**
 * A value derived from the database and kept until its key (a string of versions) changes. Loads
 * start only after the caller has read the versions, so a loaded value is never older than its key.
 */
export class KeyedSnapshot<T> {
  private current?: { key: string; value: T };
  private loading?: { key: string; promise: Promise<T> };

  constructor(private readonly load: () => Promise<T>) {}

  get(key: string): Promise<T> {
    if (this.current?.key === key) return Promise.resolve(this.current.value);
    if (this.loading?.key === key) return this.loading.promise;
    const promise = this.load().then(
      (value) => {
        this.current = { key, value };
        if (this.loading?.promise === promise) this.loading = undefined;
        return value;
      },
      (err: unknown) => {
        if (this.loading?.promise === promise) this.loading = undefined;
        throw err;
      },
    );
    this.loading = { key, promise };
    return promise;
  }

  /** The value if it is current for this key, without waiting. */
  peek(key: string): T | undefined {
    return this.current?.key === key ? this.current.value : undefined;
  }
}
