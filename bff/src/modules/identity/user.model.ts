import { Schema } from 'mongoose';

export const ROLES = ['customer', 'clerk', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A person known by their super-app identity (openid). */
export const UserSchema = new Schema(
  {
    _id: { type: String, required: true },
    openid: { type: String, required: true },
    unionid: { type: String, default: null },
    nickname: { type: String, required: true },
    avatar: { type: String, required: true },
    roles: { type: [String], enum: ROLES, default: ['customer'] },
    /** Stores a clerk may act for. */
    clerkStoreIds: { type: [String], default: [] },
    phone: { type: String, default: null },
    memberCardNo: { type: String, default: null },
    /** Moved by logout (and a refresh-token replay): access tokens signed with an older one are refused. */
    tokenVersion: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: true },
);
UserSchema.index({ openid: 1 }, { unique: true });
