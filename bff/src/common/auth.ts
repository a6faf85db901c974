import { createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Middleware } from 'koa';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import type { Role } from '../modules/identity/user.model.js';

export const ACCESS_TOKEN_TTL_S = 15 * 60;

/** Who is calling, as the access token says. */
export interface AuthUser {
  id: string;
  roles: Role[];
  /** Stores a clerk may act for. */
  storeIds: string[];
  /** The user's token version when the token was signed (absent: 0); logout moves it (issue 18, hole 10). */
  ver?: number;
}

/** Whether a verified token's user exists and its version is the user's current one. */
export type TokenCheck = (userId: string, ver: number) => Promise<'ok' | 'revoked' | 'unknown_user'>;

const ISSUER = 'linli-bff';
/** The one algorithm we sign with and the only one we accept (no `none`, no other HMAC, no RS/HS confusion). */
const ALGORITHM = 'HS256' as const;
const nowSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);

/**
 * The signing secret as a KeyObject, made once per config. Given a string, jsonwebtoken first tries
 * to parse it as a PEM public key (`createPublicKey`, which throws) before using it as an HMAC
 * secret — on every call; that was 10 % of the BFF's CPU in a rush of joins.
 */
const secretKeys = new WeakMap<Config, KeyObject>();
function secretKey(config: Config): KeyObject {
  let key = secretKeys.get(config);
  if (!key) secretKeys.set(config, (key = createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8'))));
  return key;
}

/** Signs a short-lived (15 min) HS256 access token; issued-at and expiry come from the injected clock. */
export async function signAccessToken(config: Config, clock: Clock, user: AuthUser): Promise<string> {
  const now = nowSeconds(clock);
  return jwt.sign(
    { roles: user.roles, storeIds: user.storeIds, ver: user.ver ?? 0, typ: 'access', iat: now, exp: now + ACCESS_TOKEN_TTL_S },
    secretKey(config),
    { algorithm: ALGORITHM, subject: user.id, issuer: ISSUER },
  );
}

/**
 * Verifies an access token: HS256 with our secret only, our issuer, an expiry not passed by the
 * injected clock. Any forged, expired, unsigned or foreign token is a 401 (TOKEN_EXPIRED or TOKEN_INVALID).
 */
export async function verifyAccessToken(config: Config, clock: Clock, token: string): Promise<AuthUser> {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secretKey(config), { algorithms: [ALGORITHM], issuer: ISSUER, clockTimestamp: nowSeconds(clock) });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new UnauthorizedError('Access token expired', 'TOKEN_EXPIRED');
    throw new UnauthorizedError('Access token invalid', 'TOKEN_INVALID');
  }
  if (typeof payload === 'string' || payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
    throw new UnauthorizedError('Not an access token', 'TOKEN_INVALID');
  }
  return {
    id: payload.sub,
    roles: (Array.isArray(payload.roles) ? payload.roles : []) as Role[],
    storeIds: (Array.isArray(payload.storeIds) ? payload.storeIds : []) as string[],
    ver: Number.isSafeInteger(payload.ver) ? (payload.ver as number) : 0,
  };
}

/**
 * Reads `Authorization: Bearer …` when present and sets `ctx.state.user`. A present but bad token is
 * a 401 even on public routes, so a client learns at once that it must refresh. With `check`, a
 * token of a user that does not exist (TOKEN_INVALID) or signed before a logout (TOKEN_REVOKED) is
 * a 401 too.
 */
export function authenticate(config: Config, clock: Clock, check?: TokenCheck): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header) {
      const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
      if (!m) throw new UnauthorizedError('Malformed Authorization header', 'TOKEN_INVALID');
      const user = await verifyAccessToken(config, clock, m[1]);
      const state = check ? await check(user.id, user.ver ?? 0) : 'ok';
      if (state === 'unknown_user') throw new UnauthorizedError('The user of this token does not exist', 'TOKEN_INVALID');
      if (state === 'revoked') throw new UnauthorizedError('This session was logged out; please log in again', 'TOKEN_REVOKED');
      ctx.state.user = user;
    }
    await next();
  };
}

/** 401 unless logged in. */
export const requireAuth: Middleware = async (ctx, next) => {
  if (!ctx.state.user) throw new UnauthorizedError();
  await next();
};

/** 401 unless logged in, 403 unless the user has one of the roles. */
export function requireRole(...roles: Role[]): Middleware {
  return async (ctx, next) => {
    const user = ctx.state.user as AuthUser | undefined;
    if (!user) throw new UnauthorizedError();
    if (!roles.some((r) => user.roles.includes(r))) {
      throw new ForbiddenError(`Requires role ${roles.join(' or ')}`, 'ROLE_REQUIRED', { roles });
    }
    await next();
  };
}

/** Throws 403 unless the clerk acts for this store (admins act for every store). */
export function assertStoreScope(user: AuthUser, storeId: string): void {
  if (user.roles.includes('admin')) return;
  if (!user.storeIds.includes(storeId)) {
    throw new ForbiddenError('You are not a clerk of this store', 'WRONG_STORE', { storeId });
  }
}

declare module 'koa' {
  interface DefaultState {
    user?: AuthUser;
    requestId: string;
  }
}

/** For calls from our own cloud functions and tools: `Authorization: Internal <token>`. */
export function requireInternalToken(config: Config): Middleware {
  const expected = Buffer.from(`Internal ${config.INTERNAL_TOKEN}`);
  return async (ctx, next) => {
    const got = Buffer.from(ctx.get('x-internal-token') ? `Internal ${ctx.get('x-internal-token')}` : '');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      throw new UnauthorizedError('Internal token required', 'INTERNAL_TOKEN_INVALID');
    }
    await next();
  };
}
