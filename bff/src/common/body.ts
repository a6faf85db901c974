import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { AppError } from './errors.js';

/**
 * JSON bodies (64 KB at most, UTF-8), where anything that cannot be read as one is a 400 naming why:
 * bad JSON, a `__proto__`/`constructor.prototype` key, a body whose gzip/br/deflate does not decode,
 * a charset we do not speak. Only 413 (too large) and 415 (an encoding we do not know) differ. The
 * error carries no part of the body, so nothing of it reaches a log line; errors thrown after the
 * body was read (by the route) pass through untouched.
 */
export function parseJsonBody(): Middleware {
  const inner = bodyParser({ enableTypes: ['json'], jsonLimit: '64kb', encoding: 'utf-8' });
  return async (ctx, next) => {
    let parsed = false;
    try {
      await inner(ctx, async () => {
        parsed = true;
        await next();
      });
    } catch (err) {
      if (parsed) throw err;
      throw bodyError(err);
    }
  };
}

function bodyError(err: unknown): AppError {
  const e = (err ?? {}) as { status?: number; statusCode?: number; type?: string; code?: string; message?: string };
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.too.large' || status === 413) return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (e.type === 'encoding.unsupported') return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding');
  if (e.type === 'charset.unsupported') return new AppError(400, 'MALFORMED_BODY', 'The request body is not in a charset the API reads (UTF-8)');
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return new AppError(400, 'MALFORMED_BODY', 'The request body does not decode with its Content-Encoding');
  if (/prototype/i.test(e.message ?? '')) return new AppError(400, 'MALFORMED_JSON', 'The request body holds a forbidden key (__proto__ or constructor.prototype)');
  if (e.type === 'entity.parse.failed' || err instanceof SyntaxError) return new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  return new AppError(400, 'MALFORMED_BODY', 'The request body could not be read');
}
