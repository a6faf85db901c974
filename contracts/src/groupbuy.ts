import { z } from 'zod';
import { Cents, PriceCents, StoreId } from './common.js';
import { StoreDto } from './store.js';

/** A deal code: D001, D002, … */
export const DealId = z.string().regex(/^D[0-9A-Za-z_-]{1,30}$/, 'must be a deal code like D001');
const productCode = z.string().regex(/^P[0-9A-Za-z_-]{1,30}$/, 'must be a product code like P0001');
/** Group ids are unguessable random strings. */
export const GroupId = z.string().regex(/^g_[A-Za-z0-9_-]{16,40}$/, 'must be a group id');
export const ShareId = z.string().regex(/^sh_[A-Za-z0-9_-]{16,40}$/, 'must be a share id');

const dealFields = {
  productId: productCode,
  storeIds: z.array(StoreId).min(1).max(500),
  title: z.string().trim().min(1).max(80),
  groupSize: z.number().int().min(2).max(10),
  groupPriceCents: PriceCents,
  soloPriceCents: PriceCents,
  durationMinutes: z.number().int().min(5).max(7 * 24 * 60),
  perUserLimit: z.number().int().min(1).max(100),
  newMembersOnly: z.boolean(),
  leaderDiscountCents: Cents,
  startAt: z.coerce.date(),
  endAt: z.coerce.date(),
  stockCap: z.number().int().min(0).max(10_000_000),
  active: z.boolean(),
};

function checkPrices(d: { groupPriceCents?: number; soloPriceCents?: number; leaderDiscountCents?: number; startAt?: Date; endAt?: Date }, ctx: z.RefinementCtx) {
  if (d.groupPriceCents !== undefined && d.soloPriceCents !== undefined && d.groupPriceCents > d.soloPriceCents) {
    ctx.addIssue({ code: 'custom', path: ['groupPriceCents'], message: 'must not exceed soloPriceCents' });
  }
  if (d.groupPriceCents !== undefined && d.leaderDiscountCents !== undefined && d.leaderDiscountCents >= d.groupPriceCents) {
    ctx.addIssue({ code: 'custom', path: ['leaderDiscountCents'], message: 'must be below groupPriceCents (the leader pays at least 1 cent)' });
  }
  if (d.startAt && d.endAt && d.endAt <= d.startAt) {
    ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
  }
}

/** `POST /admin/deals` */
export const CreateDealBody = z
  .object({
    id: DealId.optional(),
    ...dealFields,
    perUserLimit: dealFields.perUserLimit.default(1),
    newMembersOnly: dealFields.newMembersOnly.default(false),
    leaderDiscountCents: dealFields.leaderDiscountCents.default(0),
    active: dealFields.active.default(true),
  })
  .strict()
  .superRefine(checkPrices);
export type CreateDealBody = z.infer<typeof CreateDealBody>;

/** `PATCH /admin/deals/:id`: any subset of the fields (the product of a deal never changes). */
export const PatchDealBody = z
  .object({ ...dealFields })
  .omit({ productId: true })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .superRefine(checkPrices);
export type PatchDealBody = z.infer<typeof PatchDealBody>;

export const DealDto = z.object({
  id: z.string(),
  productId: z.string(),
  storeIds: z.array(z.string()),
  title: z.string(),
  groupSize: z.number().int(),
  groupPriceCents: Cents,
  soloPriceCents: Cents,
  leaderPriceCents: Cents,
  durationMinutes: z.number().int(),
  perUserLimit: z.number().int(),
  newMembersOnly: z.boolean(),
  leaderDiscountCents: Cents,
  startAt: z.string(),
  endAt: z.string(),
  stockCap: z.number().int(),
  sold: z.number().int(),
  active: z.boolean(),
  /** Active now: flagged active, within start/end, stock left. */
  available: z.boolean(),
});
export type DealDto = z.infer<typeof DealDto>;

/** `POST /groups` */
export const OpenGroupBody = z.object({ dealId: DealId, storeId: StoreId, shareId: ShareId.optional() }).strict();
export type OpenGroupBody = z.infer<typeof OpenGroupBody>;

/** `POST /groups/:id/join` (body optional) */
export const JoinGroupBody = z.object({ shareId: ShareId.optional() }).strict();
export type JoinGroupBody = z.infer<typeof JoinGroupBody>;

export const GROUP_STATUSES = ['pending', 'open', 'succeeded', 'failed'] as const;
export const SEAT_STATUSES = ['held', 'paid'] as const;
export const VIEWER_STATES = ['can_join', 'joined', 'leader', 'full', 'expired', 'succeeded', 'failed', 'not_open'] as const;

/**
 * A seat as anyone may see it: `id` is opaque and unlinkable (a keyed hash of group and member, so the
 * same person has unrelated ids in two groups and no host id shows); `mine` marks the viewer's own.
 */
export const SeatDto = z.object({
  id: z.string(),
  mine: z.boolean(),
  nickname: z.string(),
  avatar: z.string(),
  status: z.enum(SEAT_STATUSES),
  leader: z.boolean(),
  joinedAt: z.string(),
});
export type SeatDto = z.infer<typeof SeatDto>;

export const SharePayload = z.object({ title: z.string(), path: z.string(), imageUrl: z.string(), shareId: z.string().nullable() });
export type SharePayload = z.infer<typeof SharePayload>;

/** `GET /groups/:id` */
export const GroupViewDto = z.object({
  group: z.object({
    id: z.string(),
    dealId: z.string(),
    storeId: z.string(),
    status: z.enum(GROUP_STATUSES),
    size: z.number().int(),
    seatsLeft: z.number().int(),
    paidCount: z.number().int(),
    /** Countdown target (ISO). */
    expiresAt: z.string(),
  }),
  deal: DealDto,
  product: z.object({ id: z.string(), title: z.string(), image: z.string(), unit: z.string(), groupPriceCents: Cents, soloPriceCents: Cents }),
  seats: z.array(SeatDto),
  viewer: z.object({ state: z.enum(VIEWER_STATES), orderId: z.string().nullable() }),
  share: SharePayload,
  /** Where the group's members collect (absent from older BFFs, null if the store closed). */
  store: StoreDto.nullable().optional(),
});
export type GroupViewDto = z.infer<typeof GroupViewDto>;

/** `GET /deals/:id/groups?storeId`: open groups to join, the leader by nickname and avatar only (no user id). */
export const OpenGroupSummaryDto = z.object({
  id: z.string(),
  seatsLeft: z.number().int(),
  size: z.number().int(),
  expiresAt: z.string(),
  leader: z.object({ nickname: z.string(), avatar: z.string() }),
});
export type OpenGroupSummaryDto = z.infer<typeof OpenGroupSummaryDto>;

/** `GET /admin/funnel?dealId` */
export const FunnelQuery = z.object({ dealId: DealId }).strict();
export const FunnelCounts = z.object({
  shares: z.number().int(),
  visits: z.number().int(),
  joins: z.number().int(),
  paid: z.number().int(),
  pickedUp: z.number().int(),
});
export type FunnelCounts = z.infer<typeof FunnelCounts>;
export const FunnelDto = z.object({
  dealId: z.string(),
  totals: FunnelCounts,
  bySharer: z.array(FunnelCounts.extend({ sharerId: z.string(), nickname: z.string() })),
});
export type FunnelDto = z.infer<typeof FunnelDto>;
