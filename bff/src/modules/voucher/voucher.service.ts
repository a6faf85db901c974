import type { DomainEvents } from '../../common/events.js';
import { OrderPickedUp } from '../order/order.events.js';
import { createHmac } from 'node:crypto';
import QRCode from 'qrcode';
import type { VoucherAuditOutcome, VoucherDto } from '@linli/contracts';
import type { AuthUser } from '../../common/auth.js';
import type { Clock } from '../../common/clock.js';
import { AppError, RateLimitedError, isDuplicateKeyError } from '../../common/errors.js';
import type { OrderService } from '../order/order.service.js';
import type { OrderDoc } from '../order/order.types.js';
import { SHORT_CODE, codeFingerprint, randomShortCode, signVoucherCode, verifyVoucherCode } from './voucher.codec.js';
import {
  OrderNotRedeemableError,
  VoucherAlreadyRedeemedError,
  VoucherExpiredError,
  VoucherInvalidError,
  VoucherWrongStoreError,
} from './voucher.errors.js';
import type { VoucherModels } from './voucher.model.js';

/** A voucher as stored (`_id` = order id). */
export interface VoucherDoc {
  _id: string;
  userId: string;
  storeId: string;
  kid: string;
  code: string;
  shortCode: string;
  expiresAt: Date;
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

/** Outcomes that mean "this code does not entitle this clerk": they count against the clerk's allowance. */
const BAD_OUTCOMES: ReadonlySet<VoucherAuditOutcome> = new Set(['invalid', 'expired', 'wrong_store']);
const WINDOW_MS = 60_000;

function outcomeOf(err: unknown): VoucherAuditOutcome | null {
  if (err instanceof VoucherInvalidError) return 'invalid';
  if (err instanceof VoucherExpiredError) return 'expired';
  if (err instanceof VoucherWrongStoreError) return 'wrong_store';
  if (err instanceof VoucherAlreadyRedeemedError) return 'already_redeemed';
  if (err instanceof OrderNotRedeemableError) return 'not_redeemable';
  return null;
}

export interface VoucherServiceDeps {
  models: VoucherModels;
  clock: Clock;
  orders: OrderService;
  nicknameOf(userId: string | null | undefined): Promise<string | null>;
  keys: Readonly<Record<string, string>>;
  activeKid: string;
  ttlHours: number;
  badAttemptsPerMin: number;
  /** Keys the audit fingerprints of presented codes (never the codes themselves). */
  auditSecret: string;
  /** Announces `OrderPickedUp` (promotions credit the order's points). */
  events?: DomainEvents;
}

/**
 * Pickup vouchers: issuing them for orders awaiting pickup and redeeming them at the till.
 * Invariant 4: a voucher is redeemed at most once (the order's one CAS awaiting_pickup → picked_up),
 * only at its own store, only by a clerk of that store, only while its order awaits pickup; every
 * attempt is audited. A redemption costs 3 writes: the audit entry, the order's move, and the shelf
 * holds of the order leaving their rows.
 */
export class VoucherService {
  private readonly auditKeyHex: string;

  constructor(private readonly d: VoucherServiceDeps) {
    this.auditKeyHex = createHmac('sha256', d.auditSecret).update('linli voucher audit fingerprint').digest('hex');
  }

  private get m() {
    return this.d.models;
  }

  /**
   * Idempotent: the order's voucher, created (one insert) when the order awaits pickup and has none:
   * a random 12-digit short code (unique) and a code signed with the active key. Null when the order
   * does not await pickup and has none.
   */
  async issueFor(order: Pick<OrderDoc, '_id' | 'userId' | 'storeId' | 'status'>): Promise<VoucherDoc | null> {
    if (order.status !== 'awaiting_pickup') return (await this.m.Voucher.findById(order._id).lean()) as VoucherDoc | null;
    for (let i = 0; i < 8; i++) {
      const exp = Math.floor(this.d.clock.now().getTime() / 1000) + this.d.ttlHours * 3600;
      const kid = this.d.activeKid;
      const doc: VoucherDoc = {
        _id: order._id,
        userId: order.userId,
        storeId: order.storeId,
        kid,
        code: signVoucherCode({ kid, orderId: order._id, storeId: order.storeId, exp }, this.d.keys[kid]),
        shortCode: randomShortCode(),
        expiresAt: new Date(exp * 1000),
      };
      try {
        await this.m.Voucher.collection.insertOne(doc as never);
        return doc;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Issued already (same _id), or the short code collided: then draw again.
        const raced = (await this.m.Voucher.findById(order._id).lean()) as VoucherDoc | null;
        if (raced) return raced;
      }
    }
    throw new AppError(503, 'VOUCHER_UNAVAILABLE', 'Could not issue a pickup voucher, try again');
  }

  /** The order's voucher by order id (issued lazily when the order awaits pickup). */
  async ensureFor(orderId: string): Promise<VoucherDoc | null> {
    const existing = (await this.m.Voucher.findById(orderId).lean()) as VoucherDoc | null;
    if (existing) return existing;
    const order = await this.d.orders.get(orderId);
    return order ? this.issueFor(order) : null;
  }

  /**
   * The voucher to show with an order (`GET /orders/:id`): code, short code, QR data URI and expiry
   * while the order awaits pickup, else null. Issued lazily, so a crash between the order's move and
   * the voucher's creation loses nothing. A code whose key was retired is re-signed.
   */
  async forOrder(order: Pick<OrderDoc, '_id' | 'status'>): Promise<VoucherDto | null> {
    if (order.status !== 'awaiting_pickup') return null;
    const v = ((await this.m.Voucher.findById(order._id).lean()) as VoucherDoc | null) ?? (await this.ensureFor(order._id));
    if (!v) return null;
    let code = v.code;
    if (!Object.hasOwn(this.d.keys, v.kid)) {
      const kid = this.d.activeKid;
      code = signVoucherCode({ kid, orderId: v._id, storeId: v.storeId, exp: Math.floor(v.expiresAt.getTime() / 1000) }, this.d.keys[kid]);
      await this.m.Voucher.updateOne({ _id: v._id, kid: v.kid }, { $set: { kid, code } });
    }
    const qr = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 320 });
    return { code, shortCode: v.shortCode, qr, expiresAt: v.expiresAt.toISOString() };
  }

  /** Reads a presented code: a signed QR code or a 12-digit short code. Throws VOUCHER_INVALID. */
  async inspect(code: string): Promise<{ orderId: string; storeId: string; expiresAt: Date }> {
    if (SHORT_CODE.test(code)) {
      const v = await this.m.Voucher.findOne({ shortCode: code }).lean();
      if (!v) throw new VoucherInvalidError();
      return { orderId: v._id, storeId: v.storeId, expiresAt: v.expiresAt };
    }
    const claims = verifyVoucherCode(code, this.d.keys);
    if (!claims) throw new VoucherInvalidError();
    return { orderId: claims.orderId, storeId: claims.storeId, expiresAt: new Date(claims.exp * 1000) };
  }

  /** 409 with when and by whom, from the order's own history. */
  private async alreadyRedeemed(order: OrderDoc): Promise<VoucherAlreadyRedeemedError> {
    const move = [...(order.history ?? [])].reverse().find((h) => h.to === 'picked_up');
    const at = order.pickedUpAt ?? move?.at ?? null;
    const by = move?.actor?.id ?? null;
    return new VoucherAlreadyRedeemedError({
      orderId: order._id,
      redeemedAt: at ? new Date(at).toISOString() : null,
      redeemedBy: (await this.d.nicknameOf(by)) ?? by,
      redeemedById: by,
    });
  }

  private async attempt(clerk: AuthUser, code: string, now: Date, seen: { storeId: string | null; orderId: string | null }): Promise<RedeemResult> {
    const v = await this.inspect(code);
    seen.storeId = v.storeId;
    seen.orderId = v.orderId;
    if (now.getTime() >= v.expiresAt.getTime()) throw new VoucherExpiredError(v.expiresAt);
    if (!clerk.roles.includes('admin') && !clerk.storeIds.includes(v.storeId)) throw new VoucherWrongStoreError(v.storeId);

    const order = await this.d.orders.get(v.orderId);
    // A genuine signature over an order that is not there (or not of that store) redeems nothing.
    if (!order || order.storeId !== v.storeId || order.abandoned) throw new VoucherInvalidError();
    if (order.status === 'picked_up') throw await this.alreadyRedeemed(order);
    if (order.status !== 'awaiting_pickup') throw new OrderNotRedeemableError(order._id, order.status);

    const won = await this.d.orders.transition(order, 'awaiting_pickup', 'picked_up', { type: 'clerk', id: clerk.id }, 'voucher redeemed', { set: { pickedUpAt: now } });
    if (!won) {
      const after = await this.d.orders.mustGet(order._id);
      if (after.status === 'picked_up') throw await this.alreadyRedeemed(after);
      throw new OrderNotRedeemableError(order._id, after.status);
    }
    await this.d.orders.keepStock(order);
    if (this.d.events) await this.d.events.emit(new OrderPickedUp({ ...order, status: 'picked_up', pickedUpAt: now }));
    return {
      order: {
        id: order._id,
        storeId: order.storeId,
        status: 'picked_up',
        amountCents: order.amountCents,
        items: order.items.map((i) => ({ productId: i.productId, title: i.title, qty: i.qty, unitPriceCents: i.unitPriceCents })),
        customerNickname: await this.d.nicknameOf(order.userId),
      },
      redeemedAt: now.toISOString(),
    };
  }

  /**
   * Counts one failed attempt of the clerk in this window by a guarded increment; false once the
   * clerk has used up the window's allowance (the failure is then answered 429).
   */
  private async countFailure(clerkId: string, now: Date): Promise<boolean> {
    const window = Math.floor(now.getTime() / WINDOW_MS);
    try {
      const r = await this.m.VoucherFailure.updateOne(
        { _id: `${clerkId}:${window}`, n: { $lt: this.d.badAttemptsPerMin } },
        { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date((window + 2) * WINDOW_MS) } },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount === 1;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false; // the window exists and is full
      throw err;
    }
  }

  private async lockedOut(clerkId: string, now: Date): Promise<boolean> {
    const w = await this.m.VoucherFailure.findById(`${clerkId}:${Math.floor(now.getTime() / WINDOW_MS)}`).lean();
    return (w?.n ?? 0) >= this.d.badAttemptsPerMin;
  }

  /**
   * Redeems a voucher (signed code or short code) for a clerk: moves its order awaiting_pickup →
   * picked_up by compare-and-set, at most once. Audits every attempt. Throws 400 VOUCHER_INVALID,
   * 410 VOUCHER_EXPIRED, 403 WRONG_STORE, 409 VOUCHER_ALREADY_REDEEMED / ORDER_NOT_REDEEMABLE, or
   * 429 RATE_LIMITED once the clerk has made too many bad attempts this minute (genuine ones never count).
   */
  async redeem(clerk: AuthUser, code: string): Promise<RedeemResult> {
    const now = this.d.clock.now();
    const seen: { storeId: string | null; orderId: string | null } = { storeId: null, orderId: null };
    const record = (outcome: VoucherAuditOutcome) =>
      this.m.VoucherAudit.collection.insertOne({
        clerkId: clerk.id,
        clerkStoreIds: clerk.storeIds,
        storeId: seen.storeId,
        orderId: seen.orderId,
        outcome,
        at: now,
        codeFingerprint: codeFingerprint(code, this.auditKeyHex),
      });
    const limited = () => new RateLimitedError('Too many invalid voucher attempts, wait a minute', { retryAfterS: 60 - now.getUTCSeconds() });

    if (await this.lockedOut(clerk.id, now)) {
      await record('rate_limited');
      throw limited();
    }
    try {
      const result = await this.attempt(clerk, code, now, seen);
      await record('redeemed');
      return result;
    } catch (err) {
      const outcome = outcomeOf(err);
      if (outcome && BAD_OUTCOMES.has(outcome) && !(await this.countFailure(clerk.id, now))) {
        await record('rate_limited');
        throw limited();
      }
      await record(outcome ?? 'error');
      throw err;
    }
  }

  /**
   * What a code would redeem, for the clerk to check before 确认核销: reads only. A code that does not
   * entitle this clerk (forged, expired, another store's) is audited and counts against the clerk's
   * allowance exactly like a redeem, so previews are no way around the limiter.
   */
  async preview(clerk: AuthUser, code: string): Promise<{ order: OrderDoc; expiresAt: Date; redeemable: boolean }> {
    const now = this.d.clock.now();
    const record = (outcome: VoucherAuditOutcome, seen: { storeId: string | null; orderId: string | null }) =>
      this.m.VoucherAudit.collection.insertOne({ clerkId: clerk.id, clerkStoreIds: clerk.storeIds, storeId: seen.storeId, orderId: seen.orderId, outcome, at: now, codeFingerprint: codeFingerprint(code, this.auditKeyHex) });
    const seen: { storeId: string | null; orderId: string | null } = { storeId: null, orderId: null };
    if (await this.lockedOut(clerk.id, now)) {
      await record('rate_limited', seen);
      throw new RateLimitedError('Too many invalid voucher attempts, wait a minute', { retryAfterS: 60 - now.getUTCSeconds() });
    }
    try {
      const v = await this.inspect(code);
      seen.storeId = v.storeId;
      seen.orderId = v.orderId;
      if (now.getTime() >= v.expiresAt.getTime()) throw new VoucherExpiredError(v.expiresAt);
      if (!clerk.roles.includes('admin') && !clerk.storeIds.includes(v.storeId)) throw new VoucherWrongStoreError(v.storeId);
      const order = await this.d.orders.get(v.orderId);
      if (!order || order.storeId !== v.storeId || order.abandoned) throw new VoucherInvalidError();
      // A code already used answers like a second redeem (when, by whom), so the clerk sees it before handing goods over.
      if (order.status === 'picked_up') throw await this.alreadyRedeemed(order);
      return { order, expiresAt: v.expiresAt, redeemable: order.status === 'awaiting_pickup' };
    } catch (err) {
      const outcome = outcomeOf(err);
      if (outcome && BAD_OUTCOMES.has(outcome)) {
        if (!(await this.countFailure(clerk.id, now))) {
          await record('rate_limited', seen);
          throw new RateLimitedError('Too many invalid voucher attempts, wait a minute', { retryAfterS: 60 - now.getUTCSeconds() });
        }
        await record(outcome, seen);
      }
      throw err;
    }
  }

  /** Redeem attempts that touched a store (its vouchers, or its clerks' unreadable codes), newest first. */
  async auditOf(storeId: string, limit: number, after?: { at: Date; id: string }) {
    const scope = { $or: [{ storeId }, { clerkStoreIds: storeId }] };
    const filter = after ? { $and: [scope, { $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] }] } : scope;
    return this.m.VoucherAudit.find(filter).sort({ at: -1, _id: -1 }).limit(limit).lean();
  }

  /** Which of these orders have no voucher yet (one batched read). */
  async missingFor(orderIds: string[]): Promise<Set<string>> {
    if (orderIds.length === 0) return new Set();
    const have = new Set((await this.m.Voucher.find({ _id: { $in: orderIds } }, { _id: 1 }).lean()).map((v) => String(v._id)));
    return new Set(orderIds.filter((id) => !have.has(id)));
  }

  /** How long a voucher is valid after it is issued. */
  get ttlMs(): number {
    return this.d.ttlHours * 3600_000;
  }

  /** Which of these orders have a voucher that expired before `now` (one batched read). */
  async expiredAmong(orderIds: string[], now: Date): Promise<Set<string>> {
    if (orderIds.length === 0) return new Set();
    const rows = await this.m.Voucher.find({ _id: { $in: orderIds }, expiresAt: { $lt: now } }, { _id: 1 }).lean();
    return new Set(rows.map((v) => String(v._id)));
  }

  /** Drops expired failure windows (for the reconciler sweep). */
  async sweep(now: Date): Promise<number> {
    const r = await this.m.VoucherFailure.deleteMany({ expiresAt: { $lt: now } });
    return r.deletedCount;
  }
}
