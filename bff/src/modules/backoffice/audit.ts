import type { Middleware } from 'koa';
import type { BackofficeAuditDto } from '@linli/contracts';
import { AppError } from '../../common/errors.js';
import type { Clock } from '../../common/clock.js';
import type { BackofficeModels } from './audit.model.js';

declare module 'koa' {
  interface DefaultState {
    /** What the audited action touched, set by the route once it knows (store, target). */
    audit?: { storeId?: string | null; target?: string | null };
  }
}

/** The back-office audit trail: one insert per action, good or refused. */
export class BackofficeAudit {
  constructor(private readonly d: { models: BackofficeModels; clock: Clock; nicknames(ids: string[]): Promise<Map<string, string>> }) {}

  /**
   * App middleware: records every back-office mutation (a non-GET under /admin/ or /clerk/) after it
   * ran, with `ok` or the error code it was refused with (the error still reaches the client). Voucher
   * redemptions are left out: the voucher module audits each attempt itself, within its write budget.
   * The store is the route's (path, body, query, answer), or the order's for an order route.
   */
  trail(orderStore: (orderId: string) => Promise<string | null>): Middleware {
    return async (ctx, next) => {
      const m = /^\/api\/v1\/(admin|clerk)\//.exec(ctx.path);
      if (!m || ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS' || ctx.path.startsWith('/api/v1/clerk/vouchers/')) return next();
      let outcome = 'ok';
      try {
        await next();
      } catch (err) {
        outcome = err instanceof AppError ? err.code : 'ERROR';
        throw err;
      } finally {
        const user = ctx.state.user;
        if (user) {
          const str = (v: unknown) => (typeof v === 'string' && v.length <= 40 ? v : null);
          const params = (ctx.params ?? {}) as Record<string, string>;
          const body = (ctx.request as { body?: Record<string, unknown> }).body;
          const answer = ctx.body as Record<string, unknown> | undefined;
          const target = str(params.id) ?? str(params.code) ?? str(params.productId);
          let storeId = ctx.state.audit?.storeId ?? str(params.storeId) ?? str(body?.storeId) ?? str(ctx.query.storeId) ?? str(answer?.storeId);
          if (!storeId && target?.startsWith('o_')) storeId = await orderStore(target).catch(() => null);
          const route = (ctx as { _matchedRoute?: string })._matchedRoute;
          await this.d.models.BackofficeAudit.collection.insertOne({
            at: this.d.clock.now(),
            actorId: user.id,
            roles: user.roles,
            storeId: storeId ?? null,
            action: `${ctx.method} ${typeof route === 'string' ? route.replace(/^\/api\/v1/, '') : ctx.path.slice(7)}`,
            target: ctx.state.audit?.target ?? target,
            outcome,
          });
        }
      }
    };
  }

  /** The newest actions, of one store or of all. */
  async list(storeId: string | undefined, limit: number): Promise<BackofficeAuditDto[]> {
    const rows = await this.d.models.BackofficeAudit.find(storeId ? { storeId } : {}).sort({ at: -1 }).limit(limit).lean();
    const names = await this.d.nicknames([...new Set(rows.map((r) => r.actorId))]);
    return rows.map((r) => ({
      id: String(r._id),
      at: r.at.toISOString(),
      actorId: r.actorId,
      actorName: names.get(r.actorId) ?? null,
      storeId: r.storeId ?? null,
      action: r.action,
      target: r.target ?? null,
      outcome: r.outcome,
    }));
  }
}
