import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthResponse, UserDto } from '@linli/contracts';
import type { Config } from '../../config.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { HostClient } from './host-client.js';
import type { IdentityModels } from './identity.model.js';
import { ACCESS_TOKEN_TTL_S, signAccessToken, type AuthUser } from '../../common/auth.js';
import { NotFoundError, UnauthorizedError, isDuplicateKeyError } from '../../common/errors.js';
import { defaultAvatar, defaultNickname, maskPhone } from './avatar.js';
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
  tokenVersion?: number | null;
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
  return { id: u._id, roles, storeIds: roles.includes('clerk') ? (u.clerkStoreIds ?? []) : [], ver: u.tokenVersion ?? 0 };
}

export interface IdentityServiceDeps {
  models: IdentityModels;
  clock: Clock;
  logger: Logger;
  config: Config;
  host: HostClient;
  /** Told when a user's token version moved here, so this instance refuses the old tokens at once. */
  access?: { moved(): void };
}

/** Login with the super-app identity, and refresh-token rotation with family revocation on reuse. */
export class IdentityService {
  constructor(private readonly d: IdentityServiceDeps) {}

  private get m() {
    return this.d.models;
  }

  private async mintRefreshToken(userId: string, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.m.RefreshToken.create({ _id: hashToken(token), familyId, userId, usedAt: null, expiresAt: new Date(this.d.clock.now().getTime() + REFRESH_TOKEN_TTL_MS) });
    return token;
  }

  private async loadUser(userId: string): Promise<UserDoc> {
    const u = await this.m.User.findById(userId).lean();
    if (!u) throw new NotFoundError('User', 'USER_NOT_FOUND');
    return u as UserDoc;
  }

  /** Finds the user of an openid, creating a customer on first sight (safe when two logins race). */
  private async upsertUser(openid: string, unionid: string | null): Promise<UserDoc> {
    const now = this.d.clock.now();
    const insert = { _id: userIdForOpenid(openid), unionid, nickname: defaultNickname(openid), avatar: defaultAvatar(openid), roles: ['customer'], clerkStoreIds: [] };
    for (let attempt = 0; ; attempt++) {
      const existing = await this.m.User.findOne({ openid }).lean();
      if (existing) return existing as UserDoc;
      try {
        await this.m.User.collection.insertOne({ ...insert, openid, phone: null, memberCardNo: null, createdAt: now, updatedAt: now } as never);
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt > 2) throw err;
      }
    }
  }

  /** Access token (15 min) for a user as stored now: roles and clerk stores are read fresh. */
  async accessTokenFor(userId: string): Promise<{ accessToken: string; expiresIn: number; user: UserDto }> {
    const u = await this.loadUser(userId);
    return { accessToken: await signAccessToken(this.d.config, this.d.clock, authUserOf(u)), expiresIn: ACCESS_TOKEN_TTL_S, user: toUserDto(u) };
  }

  /**
   * Exchanges a host login code (one-time on the host) for tokens; an unknown openid becomes a new
   * customer. Each login starts a new refresh-token family.
   */
  async login(code: string): Promise<AuthResponse> {
    const session = await this.d.host.code2session(code);
    const user = await this.upsertUser(session.openid, session.unionid);
    const familyId = randomUUID();
    await this.m.RefreshFamily.create({ _id: familyId, userId: user._id });
    const refreshToken = await this.mintRefreshToken(user._id, familyId);
    return { accessToken: await signAccessToken(this.d.config, this.d.clock, authUserOf(user)), expiresIn: ACCESS_TOKEN_TTL_S, refreshToken, user: toUserDto(user) };
  }

  /**
   * Rotates a refresh token: it works once (its use is one guarded update `{_id, usedAt: null}`, so of
   * N racing refreshes exactly one wins). Presenting an already-used token revokes its whole family
   * (the thief's and the owner's newer tokens alike) and answers 401 REFRESH_TOKEN_REUSED.
   */
  async refresh(refreshToken: string): Promise<AuthResponse> {
    const id = hashToken(refreshToken);
    const now = this.d.clock.now();
    const token = await this.m.RefreshToken.findById(id).lean();
    if (!token) throw new UnauthorizedError('Unknown refresh token', 'REFRESH_TOKEN_INVALID');
    if (token.expiresAt <= now) throw new UnauthorizedError('The refresh token expired; please log in again', 'REFRESH_TOKEN_EXPIRED');
    const use = await this.m.RefreshToken.updateOne({ _id: id, usedAt: null }, { $set: { usedAt: now } });
    if (use.modifiedCount !== 1) {
      await this.m.RefreshFamily.updateOne({ _id: token.familyId, revokedAt: null }, { $set: { revokedAt: now, revokedReason: 'reuse' } });
      await this.revokeAccessTokens(token.userId);
      this.d.logger.warn({ familyId: token.familyId, userId: token.userId }, 'refresh token reused: family revoked');
      throw new UnauthorizedError('This refresh token was already used; please log in again', 'REFRESH_TOKEN_REUSED');
    }
    const family = await this.m.RefreshFamily.findById(token.familyId).lean();
    if (!family || family.revokedAt) throw new UnauthorizedError('This session was revoked; please log in again', 'REFRESH_TOKEN_REVOKED');
    const user = await this.loadUser(token.userId);
    const next = await this.mintRefreshToken(user._id, token.familyId);
    return { accessToken: await signAccessToken(this.d.config, this.d.clock, authUserOf(user)), expiresIn: ACCESS_TOKEN_TTL_S, refreshToken: next, user: toUserDto(user) };
  }

  /**
   * Ends the session of a refresh token (its family) and every access token of its user signed so
   * far (the user's token version moves; other devices refresh once to go on). Unknown tokens are ignored.
   */
  async logout(refreshToken: string): Promise<void> {
    const prior = await this.m.RefreshToken.findById(hashToken(refreshToken)).lean();
    if (!prior) return;
    await this.m.RefreshFamily.updateOne({ _id: prior.familyId, revokedAt: null }, { $set: { revokedAt: this.d.clock.now(), revokedReason: 'logout' } });
    await this.revokeAccessTokens(prior.userId);
  }

  /** Moves the user's token version: access tokens signed before are refused (hole 10). */
  private async revokeAccessTokens(userId: string): Promise<void> {
    await this.m.User.updateOne({ _id: userId }, { $inc: { tokenVersion: 1 } });
    this.d.access?.moved();
  }

  /** The caller's profile with roles and clerk stores. */
  async me(userId: string): Promise<UserDto> {
    return toUserDto(await this.loadUser(userId));
  }

  /** Nicknames and avatars of users (one batched read), for pages that show people. */
  async profiles(userIds: string[]): Promise<{ _id: string; nickname: string; avatar: string }[]> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    return (await this.m.User.find({ _id: { $in: ids } }, { nickname: 1, avatar: 1 }).lean()) as { _id: string; nickname: string; avatar: string }[];
  }

  /** Nicknames by user id (one batched read). */
  async nicknames(userIds: string[]): Promise<Map<string, string>> {
    return new Map((await this.profiles(userIds)).map((u) => [u._id, u.nickname]));
  }

  /** Host openids of users (one batched read). */
  async openids(userIds: string[]): Promise<{ _id: string; openid: string }[]> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    return (await this.m.User.find({ _id: { $in: ids } }, { openid: 1 }).lean()) as { _id: string; openid: string }[];
  }

  /** A user's host openid (the payment platform pays as that person). */
  async openidOf(userId: string): Promise<string | null> {
    const known = this.openidCache.get(userId);
    if (known) return known;
    const openid = (await this.m.User.findById(userId, { openid: 1 }).lean())?.openid ?? null;
    if (openid) {
      if (this.openidCache.size >= 50_000) this.openidCache.clear();
      this.openidCache.set(userId, openid);
    }
    return openid;
  }

  /** userId → openid: a user's openid never changes (the user is created from it), so any instance may keep it. */
  private readonly openidCache = new Map<string, string>();

  /** Adds the clerk role and the store to the user (idempotent); 404 USER_NOT_FOUND. */
  async makeClerk(userId: string, storeId: string): Promise<void> {
    const r = await this.m.User.updateOne({ _id: userId }, { $addToSet: { roles: 'clerk', clerkStoreIds: storeId } });
    if (r.matchedCount === 0) throw new NotFoundError('User', 'USER_NOT_FOUND');
  }
}
