import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { LedgerEntryDto, MemberCodeResponse, MemberDto, MemberLevel, MemberResponse, MemberScanBody, MemberScanPreviewBody, MemberScanPreviewResponse, MemberScanResponse, PointsPage } from '@linli/contracts';
import { MEMBER_LEVELS } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import type { HostClient } from '../identity/host-client.js';
import type { IdentityModels } from '../identity/identity.model.js';
import type { MemberModels } from './member.model.js';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import { BusinessRuleError, ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError, isDuplicateKeyError } from '../../common/errors.js';
import { maskPhone } from '../identity/avatar.js';
import { levelDto, levelFor, nextLevelFor, pointsForAmount } from './levels.js';
import { MEMBER_CODE_WINDOW_MS, memberCodeFor, verifyMemberCode } from './member-code.js';
import { SCAN_CONFIRM_TTL_MS, maskCardNo, maskName, signScanConfirm, verifyScanConfirm } from './scan-confirm.js';
import { bookPoints, type PointsCounter } from './points-ledger.js';

export const SMS_CODE_TTL_MS = 5 * 60 * 1000;
export const SMS_RESEND_AFTER_MS = 60 * 1000;
export const SMS_MAX_ATTEMPTS = 5;

/** What other modules see of a user's membership (the catalog shows member prices when isMember). */
export interface MemberSummary {
  cardNo: string | null;
  level: MemberLevel | null;
  points: number;
  isMember: boolean;
}

const REASON = /^[a-z][a-z_]{0,31}$/;

/** Membership: binding a phone or a card (one card per user, one user per card), the points ledger, the till code. */
export interface MemberServiceDeps {
  models: MemberModels & Pick<IdentityModels, 'User'>;
  clock: Clock;
  /** Keys the rotating member code and the SMS code hashes. */
  secret: string;
  host: Pick<HostClient, 'getPhoneNumber' | 'sendSms'>;
  /** Throws 404 STORE_NOT_FOUND for an unknown store. */
  assertStore(storeId: string): Promise<void>;
  /** Promotions: a user bound a phone (the new-member coupon). */
  onPhoneBound?(userId: string): Promise<void>;
  /**
   * Promotions' spendable-points counter, moved by every booking of this module (before its ledger
   * entry, and back on a duplicate: `PointsService.add`); absent, there is no counter to keep.
   */
  wallet?: PointsCounter;
  /** Card-binding SMS limits (DEFAULT_SMS_LIMITS when absent). */
  smsLimits?: SmsLimits;
  logger?: { warn(obj: object, msg: string): void };
  /** The chain's cap on one receipt credited at the till, in cents. */
  receiptCapCents?: number;
}

/** How many card-binding SMS may go out: per phone (a minute, a day), per client IP (an hour), per account (a day). */
export interface SmsLimits {
  perPhonePerMin: number;
  perPhonePerDay: number;
  perIpPerHour: number;
  perAccountPerDay: number;
}
export const DEFAULT_SMS_LIMITS: SmsLimits = { perPhonePerMin: 1, perPhonePerDay: 5, perIpPerHour: 20, perAccountPerDay: 10 };
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

export class MemberService {
  constructor(private readonly d: MemberServiceDeps) {}

  private get m() {
    return this.d.models;
  }

  private smsHash(challengeId: string, code: string) {
    return createHmac('sha256', this.d.secret).update(`sms:${challengeId}:${code}`).digest('hex');
  }

  /** Sum of one ledger field over a user's entries. One accumulator per $group: FerretDB 1.24 answers 0 for every $sum after the first. */
  private async ledgerSum(userId: string, field: 'points' | 'lifetime'): Promise<number> {
    const [row] = await this.m.PointsEntry.aggregate<{ total: number }>([{ $match: { userId } }, { $group: { _id: null, total: { $sum: `$${field}` } } }]);
    return row?.total ?? 0;
  }

  private async ledgerTotals(userId: string): Promise<{ points: number; lifetime: number }> {
    const [points, lifetime] = await Promise.all([this.ledgerSum(userId, 'points'), this.ledgerSum(userId, 'lifetime')]);
    return { points, lifetime };
  }

  /** Books a ledger entry once per (reason, refId), moving the spendable-points counter with it (`bookPoints`). */
  private book(userId: string, cardNo: string | null, reason: string, refId: string, points: number, lifetime: number, by?: { clerkId: string; storeId: string }): Promise<boolean> {
    return bookPoints(this.m.PointsEntry, this.d.wallet, { userId, cardNo, reason, refId, points, lifetime, createdAt: this.d.clock.now(), ...(by ?? {}) });
  }

  /**
   * Copies a binding onto the card and the user and books an offline card's opening balance. Every step
   * is idempotent, so it also repairs a binding whose copies a crash left unwritten.
   */
  private async finishBinding(userId: string, cardNo: string, boundAt: Date): Promise<void> {
    const card = await this.m.MemberCard.findById(cardNo).lean();
    if (!card) throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo });
    if (!card.userId) await this.m.MemberCard.updateOne({ _id: cardNo, userId: { $exists: false } }, { $set: { userId, boundAt } });
    await this.m.User.updateOne({ _id: userId }, { $set: { memberCardNo: cardNo } });
    if (card.source === 'offline') await this.book(userId, cardNo, 'opening', cardNo, card.points ?? 0, card.lifetimePoints ?? 0);
  }

  /**
   * Claims a card for a user with ONE insert into card_bindings: the unique `_id` (card) and unique
   * `userId` make exactly one of any number of racing claims win. Losers get 409 CARD_ALREADY_BOUND or
   * ALREADY_A_MEMBER. Claiming a card the user already holds is a no-op.
   */
  private async claim(userId: string, cardNo: string, source: 'offline' | 'online' | 'phone'): Promise<void> {
    const boundAt = this.d.clock.now();
    try {
      await this.m.CardBinding.create({ _id: cardNo, userId, source, boundAt });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const holder = await this.m.CardBinding.findById(cardNo).lean();
      if (holder && holder.userId !== userId) throw new ConflictError('CARD_ALREADY_BOUND', 'This member card is already bound to another account', { cardNo });
      if (!holder) {
        const own = await this.m.CardBinding.findOne({ userId }).lean();
        throw new ConflictError('ALREADY_A_MEMBER', 'You already have a member card', { cardNo: own?._id });
      }
      await this.finishBinding(userId, cardNo, holder.boundAt);
      return;
    }
    await this.finishBinding(userId, cardNo, boundAt);
  }

  private async bindingOf(userId: string) {
    return this.m.CardBinding.findOne({ userId }).lean();
  }

  private async assertNoCard(userId: string): Promise<void> {
    const own = await this.bindingOf(userId);
    if (own) throw new ConflictError('ALREADY_A_MEMBER', 'You already have a member card', { cardNo: own._id });
  }

  /** A new online card for the user, under the phone they bound. */
  private async issueOnlineCard(userId: string, phone: string): Promise<void> {
    const user = await this.m.User.findById(userId).lean();
    for (let attempt = 0; ; attempt++) {
      const cardNo = `66${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      try {
        await this.m.MemberCard.create({ _id: cardNo, phone, name: user?.nickname ?? '', source: 'online', points: 0, lifetimePoints: 0 });
      } catch (err) {
        if (isDuplicateKeyError(err) && attempt < 5) continue;
        throw err;
      }
      try {
        await this.claim(userId, cardNo, 'online');
      } catch (err) {
        // A racing bind gave the user a card first: drop the card we made for nothing.
        await this.m.MemberCard.deleteOne({ _id: cardNo, userId: { $exists: false } });
        if (!(err instanceof ConflictError && err.code === 'ALREADY_A_MEMBER')) throw err;
      }
      return;
    }
  }

  private async memberDto(userId: string): Promise<MemberDto | null> {
    const binding = await this.bindingOf(userId);
    if (!binding) return null;
    const [user, card] = await Promise.all([this.m.User.findById(userId).lean(), this.m.MemberCard.findById(binding._id).lean()]);
    if (!card) throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo: binding._id });
    if (user?.memberCardNo !== binding._id || card.userId !== userId) await this.finishBinding(userId, binding._id, binding.boundAt);
    const totals = await this.ledgerTotals(userId);
    return {
      cardNo: card._id,
      source: card.source as 'offline' | 'online',
      phone: maskPhone(card.phone) ?? '',
      level: levelFor(totals.lifetime),
      points: totals.points,
      lifetimePoints: totals.lifetime,
      nextLevel: nextLevelFor(totals.lifetime),
      boundAt: binding.boundAt.toISOString(),
    };
  }

  /** The member page: card, level, balance, phone and the level table. */
  async view(userId: string, hint?: MemberResponse['hint']): Promise<MemberResponse> {
    const [member, user] = await Promise.all([this.memberDto(userId), this.m.User.findById(userId).lean()]);
    return { member, phone: maskPhone(user?.phone), ...(hint ? { hint } : {}), levels: MEMBER_LEVELS.map((l) => levelDto(l)) };
  }

  /** Card, level and balance of a user, for other modules (home, catalog member prices). */
  async summary(userId: string): Promise<MemberSummary> {
    const binding = await this.bindingOf(userId);
    if (!binding) return { cardNo: null, level: null, points: 0, isMember: false };
    const totals = await this.ledgerTotals(userId);
    return { cardNo: binding._id, level: levelFor(totals.lifetime), points: totals.points, isMember: true };
  }

  /** True when the user holds a member card (so member prices apply). */
  async isMember(userId: string): Promise<boolean> {
    return (await this.m.CardBinding.exists({ userId })) !== null;
  }

  /**
   * Credits points to a user once per (reason, refId): a repeated call (retry, duplicate event) credits
   * nothing and answers `credited: false`. `reason` is a short lower_snake word (e.g. `order_pickup`),
   * `points` a non-negative integer. Works for users without a card too (they see it once they bind).
   */
  async credit(userId: string, reason: string, refId: string, points: number): Promise<{ credited: boolean; entryId: string }> {
    if (!REASON.test(reason) || !refId || refId.length > 200 || !Number.isSafeInteger(points) || points < 0) {
      throw new ValidationError('Invalid points credit', { reason, refId, points });
    }
    const binding = await this.bindingOf(userId);
    const credited = await this.book(userId, binding?._id ?? null, reason, refId, points, points);
    return { credited, entryId: `${reason}:${refId}` };
  }

  /** Spendable balance and lifetime points: sums over the user's ledger. */
  balance(userId: string) {
    return this.ledgerTotals(userId);
  }


  /**
   * Binds the phone of a host getPhoneNumber code. A user without a card then gets the one unbound
   * offline card under that phone; with no such card, a new online card; with several, none (hint
   * SEVERAL_CARDS_FOR_PHONE: bind by card number and SMS code).
   */
  async bindPhone(userId: string, code: string): Promise<MemberResponse> {
    const res = await this.bindPhoneOnly(userId, code);
    if (this.d.onPhoneBound) await this.d.onPhoneBound(userId);
    return res;
  }

  private async bindPhoneOnly(userId: string, code: string): Promise<MemberResponse> {
    const { phone } = await this.d.host.getPhoneNumber(code);
    await this.m.User.updateOne({ _id: userId }, { $set: { phone } });
    if (await this.bindingOf(userId)) return this.view(userId);
    const cards = await this.m.MemberCard.find({ phone, source: 'offline' }).lean();
    const bound = new Set((await this.m.CardBinding.find({ _id: { $in: cards.map((c) => c._id) } }).lean()).map((b) => b._id));
    const free = cards.filter((c) => !bound.has(c._id));
    if (free.length > 1) return this.view(userId, 'SEVERAL_CARDS_FOR_PHONE');
    if (free.length === 1) {
      try {
        await this.claim(userId, free[0]._id, 'phone');
        return this.view(userId);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (err.code === 'ALREADY_A_MEMBER') return this.view(userId);
        // Someone bound that card a moment ago: fall through to an online card.
      }
    }
    await this.issueOnlineCard(userId, phone);
    return this.view(userId);
  }

  /**
   * Takes one send from a fixed window of `scope:key` by a guarded upsert; false once the window is full.
   * (A full window's upsert finds no document under its filter and collides on the window's `_id`.)
   */
  private async takeQuota(scope: string, key: string, windowMs: number, limit: number, now: Date): Promise<boolean> {
    const w = Math.floor(now.getTime() / windowMs);
    try {
      await this.m.SmsQuota.updateOne({ _id: `${scope}:${key}:${w}`, n: { $lt: limit } }, { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date((w + 1) * windowMs) } }, { upsert: true });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** Drops SMS counter windows that ended (for the sweep). */
  async sweepSmsQuotas(now: Date): Promise<number> {
    return (await this.m.SmsQuota.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }

  /**
   * Sends a 6-digit code to the phone on file for an offline card. The answer is the same whether
   * the card exists, is bound or is free, so it tells nothing about cards (issue 18, hole 5): only
   * a free offline card's phone gets a code, and a code for anything else can never be right.
   * Limits, in this order: per client IP (an hour) and per account (a day and a clock minute),
   * which answer 429 whatever the card; per phone (a minute and a day), which silently send nothing.
   */
  async sendCardSms(userId: string, cardNo: string, ip = 'unknown'): Promise<{ sentTo: string; expiresAt: string; resendAfter: string }> {
    await this.assertNoCard(userId);
    const limits = this.d.smsLimits ?? DEFAULT_SMS_LIMITS;
    const now = this.d.clock.now();
    const minute = Math.floor(now.getTime() / SMS_RESEND_AFTER_MS);
    const resendAfter = new Date((minute + 1) * SMS_RESEND_AFTER_MS);
    const limited = (retryAfter: Date) => new RateLimitedError('Too many codes asked for; try again later', { retryAfter: retryAfter.toISOString() });
    if (!(await this.takeQuota('ip', ip, HOUR_MS, limits.perIpPerHour, now))) throw limited(new Date((Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS));
    if (!(await this.takeQuota('account', userId, DAY_MS, limits.perAccountPerDay, now))) throw limited(new Date((Math.floor(now.getTime() / DAY_MS) + 1) * DAY_MS));

    const card = await this.m.MemberCard.findById(cardNo).lean();
    const deliverable = card?.source === 'offline' && !(await this.m.CardBinding.exists({ _id: cardNo }));
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = randomUUID();
    // A card that cannot be bound gets a challenge whose hash is of no code at all: every guess fails the same way.
    const codeHash = deliverable ? this.smsHash(challengeId, code) : randomBytes(32).toString('hex');
    const fields = { challengeId, cardNo, phone: deliverable ? card.phone : '', codeHash, sentAt: now, sentMinute: minute, attempts: 0, used: false, expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS) };
    // One send per user per clock minute: the guarded upsert of the user's challenge (a second send in
    // the same minute finds no document to update and collides on the user's _id).
    try {
      await this.m.SmsChallenge.updateOne({ _id: userId, sentMinute: { $not: { $gte: minute } } }, { $set: fields }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      throw new RateLimitedError('Wait a minute before asking for another code', { retryAfter: resendAfter.toISOString() });
    }
    if (deliverable && (await this.takeQuota('phone-min', card.phone, SMS_RESEND_AFTER_MS, limits.perPhonePerMin, now)) && (await this.takeQuota('phone-day', card.phone, DAY_MS, limits.perPhonePerDay, now))) {
      try {
        await this.d.host.sendSms(card.phone, 'MEMBER_CARD_BIND', { code, cardTail: cardNo.slice(-4) });
      } catch (err) {
        // Failing only for real cards would tell them apart: logged, answered the same.
        this.d.logger?.warn({ err, cardTail: cardNo.slice(-4) }, 'card-binding SMS not sent');
      }
    }
    return { sentTo: '', expiresAt: fields.expiresAt.toISOString(), resendAfter: resendAfter.toISOString() };
  }

  /**
   * Binds an offline card after the SMS code sent to its phone (one-time, 5 minutes, 5 attempts,
   * each a guarded update of the challenge). Until the code is right every refusal is the same 422
   * SMS_CODE_INVALID, whether the card exists or is bound (nothing to learn about cards); after it,
   * 409 CARD_ALREADY_BOUND when another user bound the card meanwhile. ALREADY_A_MEMBER when the caller has one.
   */
  async bindCard(userId: string, cardNo: string, smsCode: string): Promise<MemberResponse> {
    await this.assertNoCard(userId);
    const now = this.d.clock.now();
    const ch = await this.m.SmsChallenge.findById(userId).lean();
    const invalid = () => new BusinessRuleError('SMS_CODE_INVALID', 'The SMS code is wrong, expired or already used');
    if (!ch || ch.cardNo !== cardNo || ch.expiresAt <= now) throw invalid();
    // Each check takes one of the challenge's attempts (a guarded increment), right or wrong.
    const tried = await this.m.SmsChallenge.updateOne({ _id: userId, challengeId: ch.challengeId, attempts: { $lt: SMS_MAX_ATTEMPTS } }, { $inc: { attempts: 1 } });
    if (tried.modifiedCount !== 1) throw new BusinessRuleError('SMS_ATTEMPTS_EXCEEDED', 'Too many wrong codes; ask for a new SMS');
    const expected = Buffer.from(ch.codeHash);
    const got = Buffer.from(this.smsHash(ch.challengeId, smsCode));
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw invalid();
    const used = await this.m.SmsChallenge.updateOne({ _id: userId, challengeId: ch.challengeId, used: { $ne: true } }, { $set: { used: true } });
    if (used.modifiedCount !== 1) throw invalid();
    await this.claim(userId, cardNo, 'offline');
    return this.view(userId);
  }

  /** The rotating till code of the caller's card (30 s windows) with its QR image. */
  async memberCode(userId: string): Promise<MemberCodeResponse> {
    const binding = await this.bindingOf(userId);
    if (!binding) throw new BusinessRuleError('NOT_A_MEMBER', 'Bind a member card first');
    const now = this.d.clock.now().getTime();
    const { code, expiresAt } = memberCodeFor(this.d.secret, binding._id, now);
    const qr = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
    return { code, qr, expiresAt: expiresAt.toISOString(), refreshInS: Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000)) };
  }

  private get capCents(): number {
    return this.d.receiptCapCents ?? 200_000;
  }

  /** The till's checks before any credit: store scope, the chain's cap, and never one's own card. */
  private async tillChecks(clerk: AuthUser, storeId: string, amount: number, cardUserId: string): Promise<void> {
    if (amount > this.capCents) {
      throw new BusinessRuleError('RECEIPT_OVER_CAP', `A receipt may credit at most ${this.capCents} cents`, { capCents: this.capCents, amount });
    }
    if (cardUserId === clerk.id) throw new ForbiddenError('A clerk cannot credit points to their own card', 'SELF_CREDIT');
  }

  /**
   * Step 1 at the till: reads the member code and answers who the member is (masked), the points the
   * receipt earns, and a confirmation token signed over clerk, store, card, receipt and amount.
   * Credits nothing. 422 RECEIPT_OVER_CAP above the chain's cap, 403 SELF_CREDIT for the clerk's own card.
   */
  async scanPreview(clerk: AuthUser, body: MemberScanPreviewBody): Promise<MemberScanPreviewResponse> {
    assertStoreScope(clerk, body.storeId);
    await this.d.assertStore(body.storeId);
    const now = this.d.clock.now().getTime();
    const check = verifyMemberCode(this.d.secret, body.memberCode, now);
    if (!check.ok) {
      throw new BusinessRuleError(check.reason, check.reason === 'MEMBER_CODE_EXPIRED' ? 'The member code expired; ask the member to refresh it' : 'Not a valid member code');
    }
    const binding = await this.m.CardBinding.findById(check.cardNo).lean();
    if (!binding) throw new NotFoundError('Member', 'MEMBER_NOT_FOUND', { cardNo: check.cardNo });
    await this.tillChecks(clerk, body.storeId, body.amount, binding.userId);
    const [user, totals] = await Promise.all([this.m.User.findById(binding.userId).lean(), this.ledgerTotals(binding.userId)]);
    const expMs = now + SCAN_CONFIRM_TTL_MS;
    const confirmToken = signScanConfirm(this.d.secret, { clerkId: clerk.id, storeId: body.storeId, cardNo: binding._id, receiptNo: body.receiptNo, amountCents: body.amount, expMs });
    return {
      member: { cardNo: maskCardNo(binding._id), nickname: maskName(user?.nickname ?? ''), level: levelFor(totals.lifetime) },
      storeId: body.storeId,
      receiptNo: body.receiptNo,
      amountCents: body.amount,
      points: pointsForAmount(body.amount),
      capCents: this.capCents,
      confirmToken,
      expiresAt: new Date(expMs).toISOString(),
    };
  }

  /**
   * Step 2: credits the confirmed receipt, one point per whole yuan, once per (store, receipt), with
   * the clerk and store on the ledger entry. The body must be what was previewed (the token is signed
   * over it): 422 SCAN_NOT_CONFIRMED otherwise. A second credit of the receipt is 409 RECEIPT_ALREADY_CREDITED.
   */
  async scan(clerk: AuthUser, body: MemberScanBody): Promise<MemberScanResponse> {
    assertStoreScope(clerk, body.storeId);
    const c = verifyScanConfirm(this.d.secret, body.confirmToken, this.d.clock.now().getTime());
    if (!c || c.clerkId !== clerk.id || c.storeId !== body.storeId || c.receiptNo !== body.receiptNo || c.amountCents !== body.amount) {
      throw new BusinessRuleError('SCAN_NOT_CONFIRMED', 'Preview the receipt and confirm the member and points first');
    }
    const binding = await this.m.CardBinding.findById(c.cardNo).lean();
    if (!binding) throw new NotFoundError('Member', 'MEMBER_NOT_FOUND', { cardNo: c.cardNo });
    await this.tillChecks(clerk, body.storeId, body.amount, binding.userId);
    const points = pointsForAmount(body.amount);
    const refId = `${body.storeId}:${body.receiptNo}`;
    const credited = await this.book(binding.userId, binding._id, 'purchase', refId, points, points, { clerkId: clerk.id, storeId: body.storeId });
    if (!credited) throw new ConflictError('RECEIPT_ALREADY_CREDITED', 'Points for this receipt were already credited', { storeId: body.storeId, receiptNo: body.receiptNo });
    const [user, totals] = await Promise.all([this.m.User.findById(binding.userId).lean(), this.ledgerTotals(binding.userId)]);
    return {
      member: { cardNo: binding._id, nickname: user?.nickname ?? '', level: levelFor(totals.lifetime) },
      pointsCredited: points,
      balance: totals.points,
      entryId: `purchase:${refId}`,
      clerkId: clerk.id,
    };
  }

  /** The caller's ledger, newest first, with the balance. */
  async pointsPage(userId: string, cursor: string | undefined, limit: number): Promise<PointsPage> {
    const filter: Record<string, unknown> = { userId };
    if (cursor) {
      const [ms, id] = decodeCursor(cursor);
      filter.$or = [{ createdAt: { $lt: new Date(ms) } }, { createdAt: new Date(ms), _id: { $lt: id } }];
    }
    const rows = await this.m.PointsEntry.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit + 1).lean();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const entries: LedgerEntryDto[] = page.map((e) => ({ id: e._id, reason: e.reason, refId: e.refId, points: e.points, createdAt: e.createdAt.toISOString() }));
    return { balance: (await this.ledgerTotals(userId)).points, entries, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt.getTime(), last._id) : null };
  }
}

const encodeCursor = (ms: number, id: string) => Buffer.from(JSON.stringify([ms, id])).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string' && v[1].length <= 250) return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new ValidationError('Invalid cursor', { cursor });
}

export { MEMBER_CODE_WINDOW_MS };
