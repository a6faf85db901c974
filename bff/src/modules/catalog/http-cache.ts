import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/**
 * Answers a JSON body with a strong ETag over its bytes; an unchanged body answers 304 to a matching
 * If-None-Match. `private, no-cache`: clients keep it but revalidate every time, so a price or stock
 * change is seen on the next request.
 */
export function sendJsonWithEtag(ctx: Context, body: unknown, opts: { vary?: string } = {}): void {
  sendSerialized(ctx, serialize(body), opts);
}

/** A body serialized once with its ETag, to answer many requests with. */
export interface Serialized {
  json: string;
  etag: string;
}

export function serialize(body: unknown): Serialized {
  const json = JSON.stringify(body);
  return { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
}

/** As sendJsonWithEtag, for a body serialized earlier. */
export function sendSerialized(ctx: Context, { json, etag }: Serialized, opts: { vary?: string } = {}): void {
  ctx.status = 200;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'private, no-cache');
  if (opts.vary) ctx.vary(opts.vary);
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = json;
}
