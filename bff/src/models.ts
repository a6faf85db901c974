import type { Connection, InferSchemaType, Model, Schema } from 'mongoose';
import { StoreSchema } from './modules/store/store.model.js';
import { CategorySchema, ProductSchema, InventorySchema, CatalogMetaSchema, InventoryRevSchema } from './modules/catalog/catalog.model.js';
import { UserSchema } from './modules/identity/user.model.js';
import { MemberCardSchema, CardBindingSchema, PointsEntrySchema, SmsChallengeSchema } from './modules/member/member.model.js';
import { RefreshTokenSchema, RefreshFamilySchema } from './modules/identity/refresh-token.model.js';
import { ClerkInviteSchema } from './modules/identity/invite.model.js';
import { OnceKeySchema } from './modules/identity/once.js';
import { DealSchema } from './modules/groupbuy/deal.model.js';
import { OrderSchema, OrderKeySchema, OrderLockSchema } from './modules/order/order.model.js';
import { PaymentSchema } from './modules/payment/payment.model.js';
import { MessageSchema, MessageClaimSchema, MessageConsentSchema, RelayMarkSchema } from './modules/messages/message.model.js';
import { GroupSchema, GroupClaimSchema, DealUsageSchema, GroupLockSchema } from './modules/groupbuy/group.model.js';
import { ShareSchema, ShareVisitSchema, ShareConversionSchema } from './modules/share/share.model.js';
import { VoucherSchema, VoucherAuditSchema, VoucherRedemptionSchema, VoucherAttemptSlotSchema } from './modules/voucher/voucher.model.js';
import { ReadyMarkSchema } from './modules/clerk/clerk.model.js';

/**
 * Every collection of the BFF, bound to one connection. Add a model here when a module adds one;
 * `ensureIndexes` builds the indexes of all of them.
 */
const schemas = {
  Store: [StoreSchema, 'stores'],
  Category: [CategorySchema, 'categories'],
  Product: [ProductSchema, 'products'],
  Inventory: [InventorySchema, 'inventory'],
  CatalogMeta: [CatalogMetaSchema, 'catalog_meta'],
  InventoryRev: [InventoryRevSchema, 'inventory_revs'],
  User: [UserSchema, 'users'],
  MemberCard: [MemberCardSchema, 'member_cards'],
  CardBinding: [CardBindingSchema, 'card_bindings'], PointsEntry: [PointsEntrySchema, 'points_ledger'], SmsChallenge: [SmsChallengeSchema, 'sms_challenges'],
  RefreshToken: [RefreshTokenSchema, 'refresh_tokens'], RefreshFamily: [RefreshFamilySchema, 'refresh_families'], ClerkInvite: [ClerkInviteSchema, 'clerk_invites'], OnceKey: [OnceKeySchema, 'once_keys'],
  Deal: [DealSchema, 'deals'],
  Order: [OrderSchema, 'orders'], OrderKey: [OrderKeySchema, 'order_keys'], OrderLock: [OrderLockSchema, 'order_locks'], Payment: [PaymentSchema, 'payments'],
  Message: [MessageSchema, 'messages'], MessageClaim: [MessageClaimSchema, 'message_claims'], MessageConsent: [MessageConsentSchema, 'message_consents'], RelayMark: [RelayMarkSchema, 'message_relay_marks'],
  Group: [GroupSchema, 'groups'], GroupClaim: [GroupClaimSchema, 'group_claims'], DealUsage: [DealUsageSchema, 'deal_usage'], GroupLock: [GroupLockSchema, 'group_locks'],
  Share: [ShareSchema, 'shares'], ShareVisit: [ShareVisitSchema, 'share_visits'], ShareConversion: [ShareConversionSchema, 'share_conversions'],
  Voucher: [VoucherSchema, 'vouchers'], VoucherAudit: [VoucherAuditSchema, 'voucher_audit'], VoucherRedemption: [VoucherRedemptionSchema, 'voucher_redemptions'], VoucherAttemptSlot: [VoucherAttemptSlotSchema, 'voucher_attempt_slots'], ReadyMark: [ReadyMarkSchema, 'order_ready_marks'],
} as const;

export type Models = { [K in keyof typeof schemas]: Model<InferSchemaType<(typeof schemas)[K][0]>> };

export function bindModels(conn: Connection): Models {
  const out: Record<string, unknown> = {};
  for (const [name, [schema, collection]] of Object.entries(schemas)) {
    out[name] = conn.models[name] ?? conn.model(name, schema as Schema, collection);
  }
  return out as unknown as Models;
}

/** Creates every declared index (unique keys carry invariants, so this runs before serving). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as unknown as Model<unknown>[]) {
    await model.createCollection().catch(() => {});
    await model.createIndexes();
  }
}
