/**
 * Read coalescing that never serves a stale answer: every caller gets the result of a read that
 * STARTED after its call, so any write completed before the call is visible. Callers arriving while a
 * read is in flight share the next one, so under N concurrent callers the database sees about one read
 * per round trip instead of N.
 */
export class FreshReader<T> {
  private inflight?: Promise<T>;
  private next?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
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
    const p = this.read().finally(() => {
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
    private readonly maxKeys = 10_000,
  ) {}

  get(key: K): Promise<T> {
    let r = this.readers.get(key);
    if (!r) {
      if (this.readers.size >= this.maxKeys) this.readers.clear();
      r = new FreshReader(() => this.read(key));
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
