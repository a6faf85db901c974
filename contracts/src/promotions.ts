import { z } from 'zod';
import { StoreId } from './common.js';

/** Promotions: coupon templates and the coupons users hold, automatic 满额/满件 offers, points spending. */

export const CouponKindEnum = z.enum(['threshold', 'cash', 'percent']);
export type CouponKind = z.infer<typeof CouponKindEnum>;

export const CouponTemplateId = z.string().regex(/^ct_[a-z0-9]{6,24}$/, 'not a coupon template id');
export const CouponId = z.string().regex(/^cp_[a-z0-9]{6,32}$/, 'not a coupon id');
export const OfferId = z.string().regex(/^of_[a-z0-9]{6,24}$/, 'not an offer id');

const Cents = z.number().int().min(0).max(10_000_000);

/** `POST /admin/coupons`: a template (满X减Y, 无门槛, 折扣 with a cap). */
export const CreateCouponBody = z
  .object({
    title: z.string().min(1).max(40),
    kind: CouponKindEnum,
    minSpendCents: Cents.default(0),
    offCents: Cents.default(0),
    /** 折扣: the percentage paid (85 = 八五折). */
    percent: z.number().int().min(1).max(100).default(100),
    maxOffCents: Cents.default(0),
    /** null = every store of the chain. */
    storeIds: z.array(StoreId).max(200).nullable().default(null),
    productIds: z.array(z.string().regex(/^P\d{4,8}$/)).max(200).nullable().default(null),
    categoryIds: z.array(z.string().min(1).max(40)).max(50).nullable().default(null),
    /** A validity window … */
    validFrom: z.string().datetime().nullable().default(null),
    validTo: z.string().datetime().nullable().default(null),
    /** … or N days after the claim. */
    validDays: z.number().int().min(1).max(365).nullable().default(null),
    total: z.number().int().min(1).max(10_000_000),
    perUser: z.number().int().min(1).max(20).default(1),
    /** Granted once to each user on first phone binding (not claimable in the centre). */
    newMember: z.boolean().default(false),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'percent' && (b.percent === undefined || b.percent >= 100)) ctx.addIssue({ code: 'custom', message: 'a 折扣 coupon needs percent 1–99', path: ['percent'] });
    if (b.kind !== 'percent' && b.offCents <= 0) ctx.addIssue({ code: 'custom', message: 'offCents must be > 0', path: ['offCents'] });
    if (b.kind === 'threshold' && b.minSpendCents <= b.offCents) ctx.addIssue({ code: 'custom', message: 'minSpendCents must exceed offCents', path: ['minSpendCents'] });
    if (!b.validDays && !b.validTo) ctx.addIssue({ code: 'custom', message: 'give validTo or validDays', path: ['validTo'] });
  });
export type CreateCouponBody = z.infer<typeof CreateCouponBody>;

export const CouponTemplateDto = z.object({
  id: z.string(),
  title: z.string(),
  kind: CouponKindEnum,
  minSpendCents: z.number().int(),
  offCents: z.number().int(),
  percent: z.number().int(),
  maxOffCents: z.number().int(),
  storeIds: z.array(z.string()).nullable(),
  productIds: z.array(z.string()).nullable(),
  categoryIds: z.array(z.string()).nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  validDays: z.number().int().nullable(),
  total: z.number().int(),
  issued: z.number().int(),
  perUser: z.number().int(),
  newMember: z.boolean(),
  active: z.boolean(),
  /** For the viewer (claim centre): how many they hold of it, and whether they may claim another. */
  claimed: z.number().int().optional(),
  canClaim: z.boolean().optional(),
});
export type CouponTemplateDto = z.infer<typeof CouponTemplateDto>;

export const CouponStatusEnum = z.enum(['usable', 'used', 'expired']);
export type CouponStatus = z.infer<typeof CouponStatusEnum>;

/** A coupon a user holds. `expired` is computed from `validTo` (nothing is written when it passes). */
export const CouponDto = z.object({
  id: z.string(),
  templateId: z.string(),
  title: z.string(),
  kind: CouponKindEnum,
  minSpendCents: z.number().int(),
  offCents: z.number().int(),
  percent: z.number().int(),
  maxOffCents: z.number().int(),
  storeIds: z.array(z.string()).nullable(),
  status: CouponStatusEnum,
  validFrom: z.string(),
  validTo: z.string(),
  orderId: z.string().nullable(),
  /** At checkout: cents it takes off this order (0 = does not apply), and why not. */
  amountCents: z.number().int().optional(),
  problem: z.string().nullable().optional(),
});
export type CouponDto = z.infer<typeof CouponDto>;

export const MyCouponsQuery = z.object({ status: CouponStatusEnum.optional() }).strict();
export const ClaimCentreQuery = z.object({ storeId: StoreId.optional() }).strict();

/** `POST /admin/offers`: 满额 (amount: goods ≥ threshold cents) or 满件 (count: units ≥ threshold). */
export const CreateOfferBody = z
  .object({
    title: z.string().min(1).max(40),
    kind: z.enum(['amount', 'count']),
    threshold: z.number().int().min(1).max(10_000_000),
    offCents: Cents.refine((n) => n > 0, 'must be > 0'),
    storeIds: z.array(StoreId).max(200).nullable().default(null),
    startsAt: z.string().datetime().nullable().default(null),
    endsAt: z.string().datetime().nullable().default(null),
  })
  .strict();
export type CreateOfferBody = z.infer<typeof CreateOfferBody>;

export const OfferDto = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['amount', 'count']),
  threshold: z.number().int(),
  offCents: z.number().int(),
  storeIds: z.array(z.string()).nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  active: z.boolean(),
});
export type OfferDto = z.infer<typeof OfferDto>;

/** Checkout extras of a preview: the coupons the customer could pick and the points they hold. */
export const CheckoutPromotionsDto = z.object({
  /** The coupon applied (null: none). */
  couponId: z.string().nullable(),
  /** Every usable coupon of the customer at this store, best first, with what it would take off. */
  coupons: z.array(CouponDto),
  offers: z.array(OfferDto),
  points: z.object({ balance: z.number().int(), usable: z.number().int(), used: z.number().int(), maxSharePct: z.number().int() }),
});
export type CheckoutPromotionsDto = z.infer<typeof CheckoutPromotionsDto>;

/** Level benefits: a member of this level pays this percentage of the member price (rounded up to the cent). */
export const LEVEL_PRICE_PERCENT: Readonly<Record<string, number>> = { regular: 100, silver: 98, gold: 95, diamond: 90 };
