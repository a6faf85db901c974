import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';
import { AppError } from './errors.js';

/** The time a request has, and whether its client is still there to see the answer. */
interface Budget {
  deadline: number;
  gone: boolean;
}

const current = new AsyncLocalStorage<Budget>();

/**
 * Request deadlines (issue 18, hole 7): each request has `budgetMs`, and is marked gone when its
 * client closes the connection before the answer was sent. Services call `assertClientWaiting()`
 * before their first write, so a request that waited too long (a queue, a slow host) or whose client
 * left changes nothing; once a request has written it finishes (a half-done write would be worse),
 * and the client's retry with the same Idempotency-Key gets that first result.
 */
export function requestDeadline(budgetMs: number): Middleware {
  return async (ctx, next) => {
    const budget: Budget = { deadline: performance.now() + budgetMs, gone: false };
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) budget.gone = true;
    });
    await current.run(budget, next);
  };
}

/** 503 REQUEST_TIMEOUT: the request was given up before it wrote anything; retrying is safe. */
export class RequestTimeoutError extends AppError {
  constructor(gone: boolean) {
    super(503, 'REQUEST_TIMEOUT', gone ? 'The client left before the request could start its writes' : 'The request ran out of time before it changed anything; please retry');
  }
}

/** Throws RequestTimeoutError when the current request is past its deadline or its client left. Outside a request it does nothing. */
export function assertClientWaiting(): void {
  const b = current.getStore();
  if (!b) return;
  if (b.gone || performance.now() > b.deadline) throw new RequestTimeoutError(b.gone);
}
