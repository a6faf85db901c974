import { randomBytes } from 'node:crypto';
import type { CouponDto, CouponStatus, CouponTemplateDto, CreateCouponBody } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { BusinessRuleError, ConflictError, NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import type { CouponRule } from '../pricing/pricing.js';
import type { PromotionModels } from './promotions.model.js';

const DAY_MS = 86_400_000;
const id = (prefix: string, n: number) => prefix + randomBytes(n).toString('hex').slice(0, n);

export interface TemplateDoc {
  _id: string;
  title: string;
  kind: 'threshold' | 'cash' | 'percent';
  minSpendCents: number;
  offCents: number;
  percent: number;
  maxOffCents: number;
  storeIds: string[] | null;
  productIds: string[] | null;
  categoryIds: string[] | null;
  validFrom: Date | null;
  validTo: Date | null;
  validDays: number | null;
  total: number;
  issued: number;
  perUser: number;
  newMember: boolean;
  active: boolean;
}

export interface UserCouponDoc {
  _id: string;
  templateId: string;
  userId: string;
  claimKey: string;
  title: string;
  kind: 'threshold' | 'cash' | 'percent';
  minSpendCents: number;
  offCents: number;
  percent: number;
  maxOffCents: number;
  storeIds: string[] | null;
  productIds: string[] | null;
  categoryIds: string[] | null;
  validFrom: Date;
  validTo: Date;
  status: 'usable' | 'used';
  orderId: string;
  usedAt: Date | null;
  claimedAt: Date;
}

/** 409 COUPON_SOLD_OUT, COUPON_LIMIT_REACHED, COUPON_NOT_USABLE; 404 COUPON_NOT_FOUND. */
export class CouponNotUsableError extends ConflictError {
  constructor(couponId: string, why: string) {
    super('COUPON_NOT_USABLE', 'This coupon cannot be used for this order', { couponId, why });
  }
}

const emptyToNull = (a: string[] | null | undefined) => (a && a.length > 0 ? [...a] : null);
const nullableList = (a: unknown): string[] | null => (Array.isArray(a) && a.length > 0 ? (a as string[]) : null);

export function templateDto(t: TemplateDoc, viewer?: { claimed: number }): CouponTemplateDto {
  return {
    id: t._id,
    title: t.title,
    kind: t.kind,
    minSpendCents: t.minSpendCents,
    offCents: t.offCents,
    percent: t.percent,
    maxOffCents: t.maxOffCents,
    storeIds: nullableList(t.storeIds),
    productIds: nullableList(t.productIds),
    categoryIds: nullableList(t.categoryIds),
    validFrom: t.validFrom ? new Date(t.validFrom).toISOString() : null,
    validTo: t.validTo ? new Date(t.validTo).toISOString() : null,
    validDays: t.validDays ?? null,
    total: t.total,
    issued: t.issued,
    perUser: t.perUser,
    newMember: t.newMember,
    active: t.active,
    ...(viewer ? { claimed: viewer.claimed, canClaim: t.active && t.issued < t.total && viewer.claimed < t.perUser } : {}),
  };
}

export function couponStatus(c: Pick<UserCouponDoc, 'status' | 'validTo'>, now: Date): CouponStatus {
  if (c.status === 'used') return 'used';
  return new Date(c.validTo).getTime() <= now.getTime() ? 'expired' : 'usable';
}

export function couponDto(c: UserCouponDoc, now: Date): CouponDto {
  return {
    id: c._id,
    templateId: c.templateId,
    title: c.title,
    kind: c.kind,
    minSpendCents: c.minSpendCents,
    offCents: c.offCents,
    percent: c.percent,
    maxOffCents: c.maxOffCents,
    storeIds: nullableList(c.storeIds),
    status: couponStatus(c, now),
    validFrom: new Date(c.validFrom).toISOString(),
    validTo: new Date(c.validTo).toISOString(),
    orderId: c.orderId || null,
  };
}

/** A held coupon as the pricing module prices it. */
export const couponRule = (c: UserCouponDoc): CouponRule => ({
  id: c._id,
  title: c.title,
  kind: c.kind,
  minSpendCents: c.minSpendCents,
  offCents: c.offCents,
  percent: c.percent,
  maxOffCents: c.maxOffCents,
  productIds: nullableList(c.productIds),
  categoryIds: nullableList(c.categoryIds),
});

/**
 * Coupons: templates, claims (never beyond the quantity, never beyond the per-user limit), use at
 * order (at most once) and give-back on cancel/refund (exactly once). Each invariant is one guarded
 * write: `$inc issued` with `issued < total` in the filter; a unique `claimKey`; a CAS on `status`.
 */
export class CouponService {
  constructor(private readonly d: { models: PromotionModels; clock: Clock }) {}

  private get m() {
    return this.d.models;
  }

  async createTemplate(body: CreateCouponBody, actorId: string): Promise<CouponTemplateDto> {
    const now = this.d.clock.now();
    const doc: TemplateDoc & { createdBy: string; createdAt: Date } = {
      _id: id('ct_', 12),
      title: body.title,
      kind: body.kind,
      minSpendCents: body.kind === 'threshold' ? body.minSpendCents : 0,
      offCents: body.kind === 'percent' ? 0 : body.offCents,
      percent: body.kind === 'percent' ? body.percent : 100,
      maxOffCents: body.kind === 'percent' ? body.maxOffCents : 0,
      storeIds: emptyToNull(body.storeIds),
      productIds: emptyToNull(body.productIds),
      categoryIds: emptyToNull(body.categoryIds),
      validFrom: body.validFrom ? new Date(body.validFrom) : null,
      validTo: body.validTo ? new Date(body.validTo) : null,
      validDays: body.validDays ?? null,
      total: body.total,
      issued: 0,
      perUser: body.perUser,
      newMember: body.newMember,
      active: true,
      createdBy: actorId,
      createdAt: now,
    };
    await this.m.CouponTemplate.create(doc);
    await this.audit(actorId, 'coupon.create', doc._id, { title: doc.title, total: doc.total });
    return templateDto(doc);
  }

  async stopTemplate(templateId: string, actorId: string): Promise<CouponTemplateDto> {
    await this.m.CouponTemplate.updateOne({ _id: templateId, active: true }, { $set: { active: false, stoppedAt: this.d.clock.now() } });
    const t = await this.mustTemplate(templateId);
    await this.audit(actorId, 'coupon.stop', templateId, {});
    return templateDto(t);
  }

  async listTemplates(): Promise<CouponTemplateDto[]> {
    const all = (await this.m.CouponTemplate.find({}).sort({ createdAt: -1 }).limit(200).lean()) as unknown as TemplateDoc[];
    return all.map((t) => templateDto(t));
  }

  private async mustTemplate(templateId: string): Promise<TemplateDoc> {
    const t = (await this.m.CouponTemplate.findById(templateId).lean()) as unknown as TemplateDoc | null;
    if (!t) throw new NotFoundError('Coupon', 'COUPON_NOT_FOUND', { templateId });
    return t;
  }

  async audit(actorId: string, action: string, targetId: string, details: Record<string, unknown>): Promise<void> {
    await this.m.PromoAudit.create({ _id: id('pa_', 16), actorId, action, targetId, at: this.d.clock.now(), details });
  }

  /** The claim centre: active claimable templates (at a store, or chain-wide), with what the viewer holds. */
  async centre(userId: string | undefined, storeId?: string): Promise<CouponTemplateDto[]> {
    const now = this.d.clock.now();
    const all = (await this.m.CouponTemplate.find({ active: true, newMember: false }).lean()) as unknown as TemplateDoc[];
    const open = all.filter((t) => (!t.validTo || new Date(t.validTo) > now) && (!storeId || !t.storeIds?.length || t.storeIds.includes(storeId)));
    const held = userId ? ((await this.m.UserCoupon.find({ userId, templateId: { $in: open.map((t) => t._id) } }, { templateId: 1 }).lean()) as { templateId: string }[]) : [];
    const count = new Map<string, number>();
    for (const h of held) count.set(h.templateId, (count.get(h.templateId) ?? 0) + 1);
    return open.map((t) => templateDto(t, userId ? { claimed: count.get(t._id) ?? 0 } : undefined));
  }

  /**
   * Claims one coupon of a template: ONE `$inc issued` guarded by `issued < total` (never beyond the
   * quantity), then one insert under the first free `claimKey` of the user's limit; when every key is
   * taken the count is given back. 409 COUPON_SOLD_OUT / COUPON_LIMIT_REACHED.
   */
  async claim(userId: string, templateId: string, keys?: string[]): Promise<CouponDto> {
    const t = await this.mustTemplate(templateId);
    const now = this.d.clock.now();
    if (!t.active || (t.validTo && new Date(t.validTo) <= now)) throw new BusinessRuleError('COUPON_NOT_CLAIMABLE', 'This coupon can no longer be claimed', { templateId });
    if (t.newMember && !keys) throw new BusinessRuleError('COUPON_NOT_CLAIMABLE', 'This coupon is for new members only', { templateId });
    const took = await this.m.CouponTemplate.updateOne({ _id: templateId, active: true, issued: { $lt: t.total } }, { $inc: { issued: 1 } });
    if (took.modifiedCount !== 1) throw new ConflictError('COUPON_SOLD_OUT', 'All of these coupons have been claimed', { templateId });
    const validFrom = t.validFrom && new Date(t.validFrom) > now ? new Date(t.validFrom) : now;
    const byDays = t.validDays ? new Date(now.getTime() + t.validDays * DAY_MS) : null;
    const validTo = byDays && t.validTo ? new Date(Math.min(byDays.getTime(), new Date(t.validTo).getTime())) : (byDays ?? new Date(t.validTo!));
    const doc: UserCouponDoc & { returns: unknown[] } = {
      _id: id('cp_', 16),
      templateId,
      userId,
      claimKey: '',
      title: t.title,
      kind: t.kind,
      minSpendCents: t.minSpendCents,
      offCents: t.offCents,
      percent: t.percent,
      maxOffCents: t.maxOffCents,
      storeIds: t.storeIds,
      productIds: t.productIds,
      categoryIds: t.categoryIds,
      validFrom,
      validTo,
      status: 'usable',
      orderId: '',
      usedAt: null,
      returns: [],
      claimedAt: now,
    };
    for (const key of keys ?? Array.from({ length: t.perUser }, (_, n) => `${templateId}:${userId}:${n + 1}`)) {
      doc.claimKey = key;
      try {
        await this.m.UserCoupon.collection.insertOne(doc as never);
        return couponDto(doc, now);
      } catch (err) {
        if (!isDuplicateKeyError(err)) {
          await this.m.CouponTemplate.updateOne({ _id: templateId }, { $inc: { issued: -1 } });
          throw err;
        }
      }
    }
    await this.m.CouponTemplate.updateOne({ _id: templateId }, { $inc: { issued: -1 } });
    throw new ConflictError('COUPON_LIMIT_REACHED', 'You already hold as many of these coupons as allowed', { templateId, perUser: t.perUser });
  }

  /** Grants every active new-member template once to a user (its key `new:<user>` can be held once). */
  async grantNewMember(userId: string): Promise<CouponDto[]> {
    const templates = (await this.m.CouponTemplate.find({ active: true, newMember: true }).lean()) as unknown as TemplateDoc[];
    const out: CouponDto[] = [];
    for (const t of templates) {
      try {
        out.push(await this.claim(userId, t._id, [`${t._id}:${userId}:new`]));
      } catch (err) {
        if (!(err instanceof ConflictError || err instanceof BusinessRuleError)) throw err;
      }
    }
    return out;
  }

  /** The user's coupons in one status (usable / used / expired), soonest to expire first. */
  async mine(userId: string, status?: CouponStatus): Promise<CouponDto[]> {
    const now = this.d.clock.now();
    const filter: Record<string, unknown> = { userId };
    if (status === 'used') filter.status = 'used';
    if (status === 'usable') Object.assign(filter, { status: 'usable', validTo: { $gt: now } });
    if (status === 'expired') Object.assign(filter, { status: 'usable', validTo: { $lte: now } });
    const docs = (await this.m.UserCoupon.find(filter).sort({ validTo: 1 }).limit(200).lean()) as unknown as UserCouponDoc[];
    return docs.map((c) => couponDto(c, now));
  }

  /** The user's coupons usable now at this store (for checkout), soonest to expire first. */
  async usableAt(userId: string, storeId: string): Promise<UserCouponDoc[]> {
    const now = this.d.clock.now();
    const docs = (await this.m.UserCoupon.find({ userId, status: 'usable', validTo: { $gt: now } }).sort({ validTo: 1 }).limit(100).lean()) as unknown as UserCouponDoc[];
    return docs.filter((c) => new Date(c.validFrom) <= now && (!c.storeIds?.length || c.storeIds.includes(storeId)));
  }

  /** Uses a coupon for an order: ONE CAS `{_id, userId, status:'usable'}` → used. 409 COUPON_NOT_USABLE. */
  async use(userId: string, couponId: string, orderId: string): Promise<void> {
    const now = this.d.clock.now();
    const r = await this.m.UserCoupon.updateOne(
      { _id: couponId, userId, status: 'usable', validTo: { $gt: now } },
      { $set: { status: 'used', orderId, usedAt: now } },
    );
    if (r.modifiedCount !== 1) throw new CouponNotUsableError(couponId, 'already used or expired');
  }

  /** The coupons an order id has used (at most one; more only if data were damaged). */
  async usedBy(orderId: string): Promise<string[]> {
    if (!orderId) return [];
    return (await this.m.UserCoupon.find({ orderId, status: 'used' }, { _id: 1 }).lean()).map((c) => String(c._id));
  }

  /** Gives an order's coupon back: ONE CAS `{_id, status:'used', orderId}` → usable; true only once. */
  async giveBack(couponId: string, orderId: string, reason: string): Promise<boolean> {
    const now = this.d.clock.now();
    const r = await this.m.UserCoupon.updateOne(
      { _id: couponId, status: 'used', orderId },
      { $set: { status: 'usable', orderId: '', usedAt: null }, $push: { returns: { orderId, at: now, reason } } },
    );
    return r.modifiedCount === 1;
  }
}
