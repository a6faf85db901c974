import type { Connection } from 'mongoose';
import { bindModel } from '../../common/model.js';
import { ClerkInviteSchema } from './invite.model.js';
import { RefreshFamilySchema, RefreshTokenSchema } from './refresh-token.model.js';
import { UserSchema } from './user.model.js';

export function identityModels(conn: Connection) {
  return {
    User: bindModel(conn, 'User', UserSchema, 'users'),
    RefreshToken: bindModel(conn, 'RefreshToken', RefreshTokenSchema, 'refresh_tokens'),
    RefreshFamily: bindModel(conn, 'RefreshFamily', RefreshFamilySchema, 'refresh_families'),
    ClerkInvite: bindModel(conn, 'ClerkInvite', ClerkInviteSchema, 'clerk_invites'),
  };
}
export type IdentityModels = ReturnType<typeof identityModels>;
