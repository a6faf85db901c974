import { z } from 'zod';
import { StoreId } from './common.js';

export const ROLES = ['customer', 'clerk', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** A one-time code from the host (login or getPhoneNumber): opaque, URL-safe. */
export const HostCode = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be a host code');

export const LoginBody = z.object({ code: HostCode }).strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(200).regex(/^[A-Za-z0-9_.-]+$/, 'must be a refresh token') }).strict();
export type RefreshBody = z.infer<typeof RefreshBody>;

export const UserDto = z.object({
  id: z.string(),
  nickname: z.string(),
  /** Image URL or data URI. */
  avatar: z.string(),
  roles: z.array(Role),
  /** Stores this user is a clerk of. */
  clerkStoreIds: z.array(z.string()),
  /** Masked, e.g. 138****0001; null until bound. */
  phone: z.string().nullable(),
  memberCardNo: z.string().nullable(),
});
export type UserDto = z.infer<typeof UserDto>;

export const AuthResponse = z.object({
  accessToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  user: UserDto,
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const MeResponse = z.object({ user: UserDto });
export type MeResponse = z.infer<typeof MeResponse>;

export const CreateInviteBody = z.object({ storeId: StoreId }).strict();
export type CreateInviteBody = z.infer<typeof CreateInviteBody>;

/** A clerk invite code: 10 characters of an unambiguous alphabet. */
export const InviteCode = z.string().regex(/^[A-HJ-NP-Z2-9]{10}$/, 'must be an invite code');

export const InviteDto = z.object({ code: InviteCode, storeId: z.string(), expiresAt: z.string() });
export type InviteDto = z.infer<typeof InviteDto>;

/** Redeeming an invite answers a fresh access token that carries the clerk role. */
export const RedeemInviteResponse = z.object({ storeId: z.string(), accessToken: z.string(), expiresIn: z.number().int(), user: UserDto });
export type RedeemInviteResponse = z.infer<typeof RedeemInviteResponse>;
