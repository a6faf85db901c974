import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthResponse, UserDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { ACCESS_TOKEN_TTL_S, signAccessToken, type AuthUser } from '../../common/auth.js';
import { NotFoundError, UnauthorizedError, isDuplicateKeyError } from '../../common/errors.js';
import { defaultAvatar, defaultNickname, maskPhone } from './avatar.js';
import { claimOnce } from './once.js';
import type { Role } from './user.model.js';

/** Refresh tokens live 30 days; each is good for one refresh. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

export const userIdForOpenid = (openid: string) => `u_${openid}`;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

interface UserDoc {
  _id: string;
  nickname: string;
  avatar: string;
  roles?: string[] | null;
  clerkStoreIds?: string[] | null;
  phone?: string | null;
  memberCardNo?: string | null;
}

export function toUserDto(u: UserDoc): UserDto {
  return {
    id: u._id,
    nickname: u.nickname,
    avatar: u.avatar,
    roles: (u.roles ?? ['customer']) as Role[],
    clerkStoreIds: u.clerkStoreIds ?? [],
    phone: maskPhone(u.phone),
    memberCardNo: u.memberCardNo ?? null,
  };
}

/** What an access token says about a user: the roles and clerk stores stored on the user now. */
export function authUserOf(u: UserDoc): AuthUser {
  const roles = (u.roles?.length ? u.roles : ['customer']) as Role[];
  return { id: u._id, roles, storeIds: roles.includes('clerk') ? (u.clerkStoreIds ?? []) : [] };
}

/** Login with the super-app identity, and refresh-token rotation with family revocation on reuse. */
export function createIdentityService(core: Core) {
  const { m, clock, config } = core;

  async function mintRefreshToken(userId: string, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await m.RefreshToken.create({ _id: hashToken(token), familyId, userId, expiresAt: new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_MS) });
    return token;
  }

  async function loadUser(userId: string): Promise<UserDoc> {
    const u = await m.User.findById(userId).lean();
    if (!u) throw new NotFoundError('User', 'USER_NOT_FOUND');
    return u as UserDoc;
  }

  /** Finds the user of an openid, creating a customer on first sight (safe when two logins race). */
  async function upsertUser(openid: string, unionid: string | null): Promise<UserDoc> {
    const insert = { _id: userIdForOpenid(openid), unionid, nickname: defaultNickname(openid), avatar: defaultAvatar(openid), roles: ['customer'], clerkStoreIds: [] };
    for (let attempt = 0; ; attempt++) {
      const existing = await m.User.findOne({ openid }).lean();
      if (existing) return existing as UserDoc;
      try {
        await m.User.collection.insertOne({ ...insert, openid, phone: null, memberCardNo: null, createdAt: clock.now(), updatedAt: clock.now() } as never);
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt > 2) throw err;
      }
    }
  }

  return {
    /** Access token (15 min) for a user as stored now: roles and clerk stores are read fresh. */
    async accessTokenFor(userId: string): Promise<{ accessToken: string; expiresIn: number; user: UserDto }> {
      const u = await loadUser(userId);
      return { accessToken: await signAccessToken(config, clock, authUserOf(u)), expiresIn: ACCESS_TOKEN_TTL_S, user: toUserDto(u) };
    },

    /**
     * Exchanges a host login code (one-time on the host) for tokens; an unknown openid becomes a new
     * customer. Each login starts a new refresh-token family.
     */
    async login(code: string): Promise<AuthResponse> {
      const session = await core.services.host.code2session(code);
      const user = await upsertUser(session.openid, session.unionid);
      const familyId = randomUUID();
      await m.RefreshFamily.create({ _id: familyId, userId: user._id });
      const refreshToken = await mintRefreshToken(user._id, familyId);
      return { accessToken: await signAccessToken(config, clock, authUserOf(user)), expiresIn: ACCESS_TOKEN_TTL_S, refreshToken, user: toUserDto(user) };
    },

    /**
     * Rotates a refresh token: it works once (its use is a once-key insert, so of N racing refreshes
     * exactly one wins). Presenting an already-used token revokes its whole
     * family (the thief's and the owner's newer tokens alike) and answers 401 REFRESH_TOKEN_REUSED.
     */
    async refresh(refreshToken: string): Promise<AuthResponse> {
      const id = hashToken(refreshToken);
      const now = clock.now();
      const token = await m.RefreshToken.findById(id).lean();
      if (!token) throw new UnauthorizedError('Unknown refresh token', 'REFRESH_TOKEN_INVALID');
      if (token.expiresAt <= now) throw new UnauthorizedError('The refresh token expired; please log in again', 'REFRESH_TOKEN_EXPIRED');
      const use = await claimOnce(m, `refresh:${id}`, token.userId, now);
      if (!use.won) {
        await m.RefreshFamily.updateOne({ _id: token.familyId, revokedAt: null }, { $set: { revokedAt: now, revokedReason: 'reuse' } });
        core.logger.warn({ familyId: token.familyId, userId: token.userId }, 'refresh token reused: family revoked');
        throw new UnauthorizedError('This refresh token was already used; please log in again', 'REFRESH_TOKEN_REUSED');
      }
      await m.RefreshToken.updateOne({ _id: id }, { $set: { usedAt: now } });
      // Checked after winning the token: a revocation that raced this refresh still stops the token minted here.
      const family = await m.RefreshFamily.findById(token.familyId).lean();
      if (!family || family.revokedAt) throw new UnauthorizedError('This session was revoked; please log in again', 'REFRESH_TOKEN_REVOKED');
      const user = await loadUser(token.userId);
      const next = await mintRefreshToken(user._id, token.familyId);
      return { accessToken: await signAccessToken(config, clock, authUserOf(user)), expiresIn: ACCESS_TOKEN_TTL_S, refreshToken: next, user: toUserDto(user) };
    },

    /** Ends the session of a refresh token (its family); unknown tokens are ignored. */
    async logout(refreshToken: string): Promise<void> {
      const prior = await m.RefreshToken.findById(hashToken(refreshToken)).lean();
      if (prior) await m.RefreshFamily.updateOne({ _id: prior.familyId, revokedAt: null }, { $set: { revokedAt: clock.now(), revokedReason: 'logout' } });
    },

    /** The caller's profile with roles and clerk stores. */
    async me(userId: string): Promise<UserDto> {
      return toUserDto(await loadUser(userId));
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;
