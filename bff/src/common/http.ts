import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import mongoose from 'mongoose';
import { ZodError } from 'zod';
import { AppError, isDuplicateKeyError } from './errors.js';
import type { Logger } from './logger.js';

declare module 'koa' {
  interface DefaultContext {
    log: Logger;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (kept from X-Request-Id when sane), a child logger and an access log line. */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    ctx.log = logger.child({ reqId: id });
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}

function toBody(status: number, code: string, message: string, details?: unknown) {
  return { status, body: { error: details === undefined ? { code, message } : { code, message, details } } };
}

/** Maps any thrown error to the one error shape; unexpected ones are logged and answered 500. */
export function describeError(err: unknown): { status: number; body: unknown; unexpected?: boolean } {
  if (err instanceof AppError) return toBody(err.status, err.code, err.message, err.details);
  if (err instanceof ZodError) {
    return toBody(400, 'VALIDATION_FAILED', 'Invalid request', { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  if (err instanceof mongoose.Error.CastError) return toBody(400, 'VALIDATION_FAILED', `Invalid value for ${err.path}`);
  if (err instanceof mongoose.Error.ValidationError) {
    return toBody(400, 'VALIDATION_FAILED', 'Invalid document', { fields: Object.keys(err.errors) });
  }
  if (isDuplicateKeyError(err)) return toBody(409, 'DUPLICATE', 'That already exists');
  const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON/i.test(e.message ?? ''))) {
    return toBody(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
  if (e.type === 'entity.too.large' || status === 413) return toBody(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (e.type === 'encoding.unsupported' || status === 415) return toBody(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type or encoding');
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose) {
    return toBody(status, 'BAD_REQUEST', e.message ?? 'Bad request');
  }
  return { ...toBody(500, 'INTERNAL', 'Something went wrong on our side'), unexpected: true };
}

/** Registered first: the one place an error becomes a response. */
export const errorHandler: Middleware = async (ctx, next) => {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: { code: 'ROUTE_NOT_FOUND', message: `No route for ${ctx.method} ${ctx.path}` } };
    }
  } catch (err) {
    const { status, body, unexpected } = describeError(err);
    if (unexpected) ctx.log?.error({ err }, 'unexpected error');
    ctx.status = status;
    ctx.body = body;
    if (status === 401) ctx.set('WWW-Authenticate', 'Bearer');
  }
};
