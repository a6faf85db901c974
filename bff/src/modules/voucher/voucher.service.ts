import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import type { VoucherAuditOutcome, VoucherDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import type { AuthUser } from '../../common/auth.js';
import { AppError, RateLimitedError, isDuplicateKeyError } from '../../common/errors.js';
import { SHORT_CODE, codeFingerprint, randomShortCode, signVoucherCode, verifyVoucherCode } from './voucher.codec.js';
import {
  OrderNotRedeemableError,
  VoucherAlreadyRedeemedError,
  VoucherExpiredError,
  VoucherInvalidError,
  VoucherWrongStoreError,
} from './voucher.errors.js';
import { badAttemptLimiter } from './voucher.rate-limit.js';
import { orderPort, type OrderRow } from './order-port.js';

/** A voucher as stored (`_id` = order id). */
export interface VoucherDoc {
  _id: string;
  userId: string;
  storeId: string;
  kid: string;
  code: string;
  shortCode: string;
  expiresAt: Date;
  redeemedAt?: Date | null;
  redeemedBy?: string | null;
}

export interface RedeemResult {
  order: {
    id: string;
    storeId: string;
    status: 'picked_up';
    amountCents: number;
    items: { productId: string; title: string; qty: number; unitPriceCents: number }[];
    customerNickname: string | null;
  };
  redeemedAt: string;
}

/** Outcomes that mean "this code does not entitle this clerk": they count against the rate limit. */
/** A claim older than this whose order still awaits pickup was left by a crashed redeem. */
const STALE_CLAIM_MS = 60_000;

const BAD_OUTCOMES: ReadonlySet<VoucherAuditOutcome> = new Set(['invalid', 'expired', 'wrong_store']);

function outcomeOf(err: unknown): VoucherAuditOutcome | null {
  if (err instanceof VoucherInvalidError) return 'invalid';
  if (err instanceof VoucherExpiredError) return 'expired';
  if (err instanceof VoucherWrongStoreError) return 'wrong_store';
  if (err instanceof VoucherAlreadyRedeemedError) return 'already_redeemed';
  if (err instanceof OrderNotRedeemableError) return 'not_redeemable';
  return null;
}

/**
 * Pickup vouchers: issuing them for orders awaiting pickup and redeeming them at the till.
 * Invariant 4: a voucher is redeemed at most once (the order's CAS awaiting_pickup → picked_up), only
 * at its own store, only by a clerk of that store, only while its order awaits pickup; every attempt
 * is audited.
 */
export function createVoucherService(core: Core) {
  const { m } = core;
  const orders = orderPort(core);
  const limiter = badAttemptLimiter(m);
  const auditKey = createHmac('sha256', core.config.JWT_SECRET).update('linli voucher audit fingerprint').digest();
  const auditKeyHex = auditKey.toString('hex');

  const keys = () => core.config.VOUCHER_KEYS;
  const activeKid = () => core.config.VOUCHER_ACTIVE_KID;

  async function nicknameOf(userId: string | null | undefined): Promise<string | null> {
    if (!userId) return null;
    const u = await m.User.findById(userId).lean();
    return u?.nickname ?? null;
  }

  /** 409 with when and by whom: from the redemption claim, else from the order's history. */
  async function alreadyRedeemed(order: OrderRow): Promise<VoucherAlreadyRedeemedError> {
    const claim = await m.VoucherRedemption.findById(order._id).lean();
    const move = [...(order.history ?? [])].reverse().find((h) => h.to === 'picked_up');
    const at = claim?.at ?? move?.at ?? order.pickedUpAt ?? null;
    const by = claim?.clerkId ?? move?.actor?.id ?? null;
    return new VoucherAlreadyRedeemedError({
      orderId: order._id,
      redeemedAt: at ? new Date(at).toISOString() : null,
      redeemedBy: (await nicknameOf(by)) ?? by,
      redeemedById: by,
    });
  }

  /**
   * Claims the redemption of an order (unique `_id`): true for exactly one caller. A claim left by a
   * BFF that died before moving the order (older than a minute, order still awaiting pickup) is
   * released and claimed again.
   */
  async function claim(order: OrderRow, clerk: AuthUser, now: Date): Promise<boolean> {
    const doc = { _id: order._id, clerkId: clerk.id, storeId: order.storeId, at: now };
    for (let i = 0; i < 2; i++) {
      try {
        await m.VoucherRedemption.create(doc);
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const held = await m.VoucherRedemption.findById(order._id).lean();
      if (!held || now.getTime() - held.at.getTime() < STALE_CLAIM_MS) return false;
      if ((await orders.findById(order._id))?.status !== 'awaiting_pickup') return false;
      await m.VoucherRedemption.deleteOne({ _id: order._id, at: held.at, clerkId: held.clerkId });
    }
    return false;
  }

  /** Reads a presented code: a signed QR code or a 12-digit short code. Throws VOUCHER_INVALID. */
  async function resolve(code: string): Promise<{ orderId: string; storeId: string; expiresAt: Date }> {
    if (SHORT_CODE.test(code)) {
      const v = await m.Voucher.findOne({ shortCode: code }).lean();
      if (!v) throw new VoucherInvalidError();
      return { orderId: v._id, storeId: v.storeId, expiresAt: v.expiresAt };
    }
    const claims = verifyVoucherCode(code, keys());
    if (!claims) throw new VoucherInvalidError();
    return { orderId: claims.orderId, storeId: claims.storeId, expiresAt: new Date(claims.exp * 1000) };
  }

  async function attempt(clerk: AuthUser, code: string, now: Date, seen: { storeId: string | null; orderId: string | null }): Promise<RedeemResult> {
    const v = await resolve(code);
    seen.storeId = v.storeId;
    seen.orderId = v.orderId;
    if (now.getTime() >= v.expiresAt.getTime()) throw new VoucherExpiredError(v.expiresAt);
    if (!clerk.roles.includes('admin') && !clerk.storeIds.includes(v.storeId)) throw new VoucherWrongStoreError(v.storeId);

    const order = await orders.findById(v.orderId);
    // A genuine signature over an order that is not there (or not of that store) redeems nothing.
    if (!order || order.storeId !== v.storeId) throw new VoucherInvalidError();
    if (order.status === 'picked_up') throw await alreadyRedeemed(order);
    if (order.status !== 'awaiting_pickup') throw new OrderNotRedeemableError(order._id, order.status);

    if (!(await claim(order, clerk, now))) throw await alreadyRedeemed(order);
    const won = await orders.transition(order._id, 'awaiting_pickup', 'picked_up', { type: 'clerk', id: clerk.id }, 'voucher redeemed', {
      set: { pickedUpAt: now },
    });
    if (!won) {
      const after = await orders.findById(order._id);
      if (after?.status !== 'picked_up') {
        await m.VoucherRedemption.deleteOne({ _id: order._id, clerkId: clerk.id, at: now });
        throw new OrderNotRedeemableError(order._id, after?.status ?? 'unknown');
      }
      // Only the claim holder moves an order to picked_up: this redemption, unless our claim was
      // released as stale meanwhile and another clerk's took its place.
      const held = await m.VoucherRedemption.findById(order._id).lean();
      if (held?.clerkId !== clerk.id || held.at.getTime() !== now.getTime()) throw await alreadyRedeemed(after);
    }
    await m.Voucher.updateOne({ _id: order._id, redeemedAt: null }, { $set: { redeemedAt: now, redeemedBy: clerk.id } });
    return {
      order: {
        id: order._id,
        storeId: order.storeId,
        status: 'picked_up',
        amountCents: order.amountCents,
        items: order.items.map((i) => ({ productId: i.productId, title: i.title, qty: i.qty, unitPriceCents: i.unitPriceCents })),
        customerNickname: await nicknameOf(order.userId),
      },
      redeemedAt: now.toISOString(),
    };
  }

  const service = {
    /**
     * Idempotent: returns the order's voucher, creating it when the order awaits pickup and has none
     * (random 12-digit short code, unique; code signed with the active key). Null when the order has
     * no voucher and does not await pickup.
     */
    async ensureFor(orderId: string): Promise<VoucherDoc | null> {
      const existing = await m.Voucher.findById(orderId).lean();
      if (existing) return existing as VoucherDoc;
      const order = await orders.findById(orderId);
      if (!order || order.status !== 'awaiting_pickup') return null;
      for (let i = 0; i < 8; i++) {
        const exp = Math.floor(core.clock.now().getTime() / 1000) + core.config.VOUCHER_TTL_HOURS * 3600;
        const kid = activeKid();
        const doc: VoucherDoc = {
          _id: order._id,
          userId: order.userId,
          storeId: order.storeId,
          kid,
          code: signVoucherCode({ kid, orderId: order._id, storeId: order.storeId, exp }, keys()[kid]),
          shortCode: randomShortCode(),
          expiresAt: new Date(exp * 1000),
        };
        try {
          await m.Voucher.create(doc);
          return { ...doc, redeemedAt: null, redeemedBy: null };
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          // Another call issued it first (same _id), or the short code collided: then draw again.
          const raced = await m.Voucher.findById(orderId).lean();
          if (raced) return raced as VoucherDoc;
        }
      }
      throw new AppError(503, 'VOUCHER_UNAVAILABLE', 'Could not issue a pickup voucher, try again');
    },

    /**
     * The voucher to show with an order (`GET /orders/:id`): code, short code, QR data URI and expiry
     * while the order awaits pickup, else null. Issues it lazily, so a crash between the order's move
     * and the voucher's creation loses nothing. A code whose key was retired is re-signed.
     */
    async forOrder(order: { _id: string; status: string }): Promise<VoucherDto | null> {
      if (order.status !== 'awaiting_pickup') return null;
      const v = await service.ensureFor(String(order._id));
      if (!v) return null;
      let code = v.code;
      if (!Object.hasOwn(keys(), v.kid)) {
        const kid = activeKid();
        code = signVoucherCode({ kid, orderId: v._id, storeId: v.storeId, exp: Math.floor(v.expiresAt.getTime() / 1000) }, keys()[kid]);
        await m.Voucher.updateOne({ _id: v._id, kid: v.kid }, { $set: { kid, code } });
      }
      const qr = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 320 });
      return { code, shortCode: v.shortCode, qr, expiresAt: v.expiresAt.toISOString() };
    },

    /**
     * Redeems a voucher (signed code or short code) for a clerk: moves its order awaiting_pickup →
     * picked_up by compare-and-set, at most once. Audits every attempt. Throws 400 VOUCHER_INVALID,
     * 410 VOUCHER_EXPIRED, 403 WRONG_STORE, 409 VOUCHER_ALREADY_REDEEMED / ORDER_NOT_REDEEMABLE, or
     * 429 RATE_LIMITED after too many bad attempts by the clerk this minute.
     */
    async redeem(clerk: AuthUser, code: string): Promise<RedeemResult> {
      const now = core.clock.now();
      const seen: { storeId: string | null; orderId: string | null } = { storeId: null, orderId: null };
      const record = (outcome: VoucherAuditOutcome) =>
        m.VoucherAudit.collection.insertOne({
          clerkId: clerk.id,
          clerkStoreIds: clerk.storeIds,
          storeId: seen.storeId,
          orderId: seen.orderId,
          outcome,
          at: now,
          codeFingerprint: codeFingerprint(code, auditKeyHex),
        });

      const release = await limiter.reserve(clerk.id, now, core.config.VOUCHER_BAD_ATTEMPTS_PER_MIN);
      if (!release) {
        await record('rate_limited');
        throw new RateLimitedError('Too many invalid voucher attempts, wait a minute', { retryAfterS: 60 - now.getUTCSeconds() });
      }
      try {
        const result = await attempt(clerk, code, now, seen);
        await Promise.all([release(), record('redeemed')]);
        return result;
      } catch (err) {
        const outcome = outcomeOf(err);
        await Promise.all([outcome && BAD_OUTCOMES.has(outcome) ? null : release(), record(outcome ?? 'error')]);
        throw err;
      }
    },

    /**
     * What a presented code stands for, as redeem reads it (no writes, no clock): the order, its store
     * and the voucher's expiry. Throws 400 VOUCHER_INVALID for anything this BFF did not issue.
     */
    inspect: (code: string) => resolve(code),

    /** Redeem attempts that touched a store (its vouchers, or its clerks' unreadable codes), newest first. */
    async auditOf(storeId: string, limit: number, after?: { at: Date; id: string }) {
      const scope = { $or: [{ storeId }, { clerkStoreIds: storeId }] };
      const filter = after
        ? { $and: [scope, { $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] }] }
        : scope;
      return m.VoucherAudit.find(filter).sort({ at: -1, _id: -1 }).limit(limit).lean();
    },

    /** Drops expired rate-limit windows (for the reconciler sweep). */
    sweep: (now: Date) => limiter.sweep(now),
  };
  return service;
}
export type VoucherService = ReturnType<typeof createVoucherService>;

declare module '../../core.js' {
  interface Services {
    voucher: VoucherService;
  }
}
