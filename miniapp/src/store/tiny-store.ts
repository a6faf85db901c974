import { useSyncExternalStore } from 'react';

/** A minimal observable value shared by several pages. */
export interface TinyStore<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

export function createTinyStore<T>(initial: T, onChange?: (value: T) => void): TinyStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      onChange?.(value);
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Subscribes a component to a store. */
export function useTinyStore<T>(store: TinyStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
