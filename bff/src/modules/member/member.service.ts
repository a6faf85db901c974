import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import type { LedgerEntryDto, MemberCodeResponse, MemberDto, MemberLevel, MemberResponse, MemberScanBody, MemberScanResponse, PointsPage } from '@linli/contracts';
import { MEMBER_LEVELS } from '@linli/contracts';
import type { Core } from '../../core.js';
import { assertStoreScope, type AuthUser } from '../../common/auth.js';
import { BusinessRuleError, ConflictError, NotFoundError, RateLimitedError, ValidationError, isDuplicateKeyError } from '../../common/errors.js';
import { maskPhone } from '../identity/avatar.js';
import { claimOnce } from '../identity/once.js';
import { levelFor, nextLevelFor, pointsForAmount } from './levels.js';
import { MEMBER_CODE_WINDOW_MS, memberCodeFor, verifyMemberCode } from './member-code.js';

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
export function createMemberService(core: Core) {
  const { m, clock, config } = core;

  const smsHash = (challengeId: string, code: string) => createHmac('sha256', config.MEMBER_CODE_SECRET).update(`sms:${challengeId}:${code}`).digest('hex');

  /** Sum of one ledger field over a user's entries. One accumulator per $group: FerretDB 1.24 answers 0 for every $sum after the first. */
  async function ledgerSum(userId: string, field: 'points' | 'lifetime'): Promise<number> {
    const [row] = await m.PointsEntry.aggregate<{ total: number }>([{ $match: { userId } }, { $group: { _id: null, total: { $sum: `$${field}` } } }]);
    return row?.total ?? 0;
  }

  async function ledgerTotals(userId: string): Promise<{ points: number; lifetime: number }> {
    const [points, lifetime] = await Promise.all([ledgerSum(userId, 'points'), ledgerSum(userId, 'lifetime')]);
    return { points, lifetime };
  }

  /** Inserts a ledger entry once per (reason, refId). */
  async function insertEntry(userId: string, cardNo: string | null, reason: string, refId: string, points: number, lifetime: number): Promise<boolean> {
    try {
      await m.PointsEntry.create({ _id: `${reason}:${refId}`, userId, cardNo, reason, refId, points, lifetime, createdAt: clock.now() });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /**
   * Copies a binding onto the card and the user and books an offline card's opening balance. Every step
   * is idempotent, so it also repairs a binding whose copies a crash left unwritten.
   */
  async function finishBinding(userId: string, cardNo: string, boundAt: Date): Promise<void> {
    const card = await m.MemberCard.findById(cardNo).lean();
    if (!card) throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo });
    if (!card.userId) await m.MemberCard.updateOne({ _id: cardNo, userId: { $exists: false } }, { $set: { userId, boundAt } });
    await m.User.updateOne({ _id: userId }, { $set: { memberCardNo: cardNo } });
    if (card.source === 'offline') await insertEntry(userId, cardNo, 'opening', cardNo, card.points ?? 0, card.lifetimePoints ?? 0);
  }

  /**
   * Claims a card for a user with ONE insert into card_bindings: the unique `_id` (card) and unique
   * `userId` make exactly one of any number of racing claims win. Losers get 409 CARD_ALREADY_BOUND or
   * ALREADY_A_MEMBER. Claiming a card the user already holds is a no-op.
   */
  async function claim(userId: string, cardNo: string, source: 'offline' | 'online' | 'phone'): Promise<void> {
    const boundAt = clock.now();
    try {
      await m.CardBinding.create({ _id: cardNo, userId, source, boundAt });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const holder = await m.CardBinding.findById(cardNo).lean();
      if (holder && holder.userId !== userId) throw new ConflictError('CARD_ALREADY_BOUND', 'This member card is already bound to another account', { cardNo });
      if (!holder) {
        const own = await m.CardBinding.findOne({ userId }).lean();
        throw new ConflictError('ALREADY_A_MEMBER', 'You already have a member card', { cardNo: own?._id });
      }
      await finishBinding(userId, cardNo, holder.boundAt);
      return;
    }
    await finishBinding(userId, cardNo, boundAt);
  }

  async function bindingOf(userId: string) {
    return m.CardBinding.findOne({ userId }).lean();
  }

  async function assertNoCard(userId: string): Promise<void> {
    const own = await bindingOf(userId);
    if (own) throw new ConflictError('ALREADY_A_MEMBER', 'You already have a member card', { cardNo: own._id });
  }

  /** A new online card for the user, under the phone they bound. */
  async function issueOnlineCard(userId: string, phone: string): Promise<void> {
    const user = await m.User.findById(userId).lean();
    for (let attempt = 0; ; attempt++) {
      const cardNo = `66${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      try {
        await m.MemberCard.create({ _id: cardNo, phone, name: user?.nickname ?? '', source: 'online', points: 0, lifetimePoints: 0 });
      } catch (err) {
        if (isDuplicateKeyError(err) && attempt < 5) continue;
        throw err;
      }
      try {
        await claim(userId, cardNo, 'online');
      } catch (err) {
        // A racing bind gave the user a card first: drop the card we made for nothing.
        await m.MemberCard.deleteOne({ _id: cardNo, userId: { $exists: false } });
        if (!(err instanceof ConflictError && err.code === 'ALREADY_A_MEMBER')) throw err;
      }
      return;
    }
  }

  async function memberDto(userId: string): Promise<MemberDto | null> {
    const binding = await bindingOf(userId);
    if (!binding) return null;
    const [user, card] = await Promise.all([m.User.findById(userId).lean(), m.MemberCard.findById(binding._id).lean()]);
    if (!card) throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo: binding._id });
    if (user?.memberCardNo !== binding._id || card.userId !== userId) await finishBinding(userId, binding._id, binding.boundAt);
    const totals = await ledgerTotals(userId);
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

  async function view(userId: string, hint?: MemberResponse['hint']): Promise<MemberResponse> {
    const [member, user] = await Promise.all([memberDto(userId), m.User.findById(userId).lean()]);
    return { member, phone: maskPhone(user?.phone), ...(hint ? { hint } : {}), levels: MEMBER_LEVELS.map((l) => ({ ...l })) };
  }

  const service = {
    /** Card, level and balance of a user, for other modules (home, catalog member prices). */
    async summary(userId: string): Promise<MemberSummary> {
      const binding = await bindingOf(userId);
      if (!binding) return { cardNo: null, level: null, points: 0, isMember: false };
      const totals = await ledgerTotals(userId);
      return { cardNo: binding._id, level: levelFor(totals.lifetime), points: totals.points, isMember: true };
    },

    /** True when the user holds a member card (so member prices apply). */
    async isMember(userId: string): Promise<boolean> {
      return (await m.CardBinding.exists({ userId })) !== null;
    },

    /**
     * Credits points to a user once per (reason, refId): a repeated call (retry, duplicate event) credits
     * nothing and answers `credited: false`. `reason` is a short lower_snake word (e.g. `order_pickup`),
     * `points` a non-negative integer. Works for users without a card too (they see it once they bind).
     */
    async credit(userId: string, reason: string, refId: string, points: number): Promise<{ credited: boolean; entryId: string }> {
      if (!REASON.test(reason) || !refId || refId.length > 200 || !Number.isSafeInteger(points) || points < 0) {
        throw new ValidationError('Invalid points credit', { reason, refId, points });
      }
      const binding = await bindingOf(userId);
      const credited = await insertEntry(userId, binding?._id ?? null, reason, refId, points, points);
      return { credited, entryId: `${reason}:${refId}` };
    },

    /** Spendable balance and lifetime points: sums over the user's ledger. */
    balance: ledgerTotals,

    view: (userId: string) => view(userId),

    /**
     * Binds the phone of a host getPhoneNumber code. A user without a card then gets the one unbound
     * offline card under that phone; with no such card, a new online card; with several, none (hint
     * SEVERAL_CARDS_FOR_PHONE: bind by card number and SMS code).
     */
    async bindPhone(userId: string, code: string): Promise<MemberResponse> {
      const { phone } = await core.services.host.getPhoneNumber(code);
      await m.User.updateOne({ _id: userId }, { $set: { phone } });
      if (await bindingOf(userId)) return view(userId);
      const cards = await m.MemberCard.find({ phone, source: 'offline' }).lean();
      const bound = new Set((await m.CardBinding.find({ _id: { $in: cards.map((c) => c._id) } }).lean()).map((b) => b._id));
      const free = cards.filter((c) => !bound.has(c._id));
      if (free.length > 1) return view(userId, 'SEVERAL_CARDS_FOR_PHONE');
      if (free.length === 1) {
        try {
          await claim(userId, free[0]._id, 'phone');
          return view(userId);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          if (err.code === 'ALREADY_A_MEMBER') return view(userId);
          // Someone bound that card a moment ago: fall through to an online card.
        }
      }
      await issueOnlineCard(userId, phone);
      return view(userId);
    },

    /** Sends a 6-digit code to the phone on file for an offline card (one send per user per clock minute). */
    async sendCardSms(userId: string, cardNo: string): Promise<{ sentTo: string; expiresAt: string; resendAfter: string }> {
      await assertNoCard(userId);
      const card = await m.MemberCard.findById(cardNo).lean();
      if (!card || card.source !== 'offline') throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo });
      if (await m.CardBinding.exists({ _id: cardNo })) throw new ConflictError('CARD_ALREADY_BOUND', 'This member card is already bound to another account', { cardNo });
      const now = clock.now();
      const minute = Math.floor(now.getTime() / SMS_RESEND_AFTER_MS);
      const resendAfter = new Date((minute + 1) * SMS_RESEND_AFTER_MS);
      if (!(await claimOnce(m, `smssend:${userId}:${minute}`, userId, now)).won) {
        throw new RateLimitedError('Wait a minute before asking for another code', { retryAfter: resendAfter.toISOString() });
      }
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const challengeId = randomUUID();
      const fields = { challengeId, cardNo, phone: card.phone, codeHash: smsHash(challengeId, code), sentAt: now, expiresAt: new Date(now.getTime() + SMS_CODE_TTL_MS) };
      await m.SmsChallenge.updateOne({ _id: userId }, { $set: fields }, { upsert: true });
      await core.services.host.sendSms(card.phone, 'MEMBER_CARD_BIND', { code, cardTail: cardNo.slice(-4) });
      return { sentTo: maskPhone(card.phone) ?? '', expiresAt: fields.expiresAt.toISOString(), resendAfter: resendAfter.toISOString() };
    },

    /**
     * Binds an offline card after the SMS code sent to its phone (one-time, 5 minutes, 5 attempts,
     * each enforced by a once-key insert).
     * 409 CARD_ALREADY_BOUND when another user holds the card, ALREADY_A_MEMBER when the caller has one.
     */
    async bindCard(userId: string, cardNo: string, smsCode: string): Promise<MemberResponse> {
      await assertNoCard(userId);
      const card = await m.MemberCard.findById(cardNo).lean();
      if (!card || card.source !== 'offline') throw new NotFoundError('Member card', 'CARD_NOT_FOUND', { cardNo });
      if (await m.CardBinding.exists({ _id: cardNo })) throw new ConflictError('CARD_ALREADY_BOUND', 'This member card is already bound to another account', { cardNo });
      const now = clock.now();
      const ch = await m.SmsChallenge.findById(userId).lean();
      const invalid = () => new BusinessRuleError('SMS_CODE_INVALID', 'The SMS code is wrong, expired or already used');
      if (!ch || ch.cardNo !== cardNo || ch.expiresAt <= now) throw invalid();
      let slot = false;
      for (let n = 1; n <= SMS_MAX_ATTEMPTS && !slot; n++) slot = (await claimOnce(m, `sms:${ch.challengeId}:try${n}`, userId, now)).won;
      if (!slot) throw new BusinessRuleError('SMS_ATTEMPTS_EXCEEDED', 'Too many wrong codes; ask for a new SMS');
      const expected = Buffer.from(ch.codeHash);
      const got = Buffer.from(smsHash(ch.challengeId, smsCode));
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw invalid();
      if (!(await claimOnce(m, `sms:${ch.challengeId}:used`, userId, now)).won) throw invalid();
      await claim(userId, cardNo, 'offline');
      return view(userId);
    },

    /** The rotating till code of the caller's card (30 s windows) with its QR image. */
    async memberCode(userId: string): Promise<MemberCodeResponse> {
      const binding = await bindingOf(userId);
      if (!binding) throw new BusinessRuleError('NOT_A_MEMBER', 'Bind a member card first');
      const now = clock.now().getTime();
      const { code, expiresAt } = memberCodeFor(config.MEMBER_CODE_SECRET, binding._id, now);
      const qr = await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
      return { code, qr, expiresAt: expiresAt.toISOString(), refreshInS: Math.max(1, Math.ceil((expiresAt.getTime() - now) / 1000)) };
    },

    /**
     * The till scans a member code: identifies the member and credits one point per whole yuan, once
     * per (store, receipt). A second scan of the receipt answers 409 RECEIPT_ALREADY_CREDITED.
     */
    async scan(clerk: AuthUser, body: MemberScanBody): Promise<MemberScanResponse> {
      assertStoreScope(clerk, body.storeId);
      await core.services.store.get(body.storeId);
      const check = verifyMemberCode(config.MEMBER_CODE_SECRET, body.memberCode, clock.now().getTime());
      if (!check.ok) {
        throw new BusinessRuleError(check.reason, check.reason === 'MEMBER_CODE_EXPIRED' ? 'The member code expired; ask the member to refresh it' : 'Not a valid member code');
      }
      const binding = await m.CardBinding.findById(check.cardNo).lean();
      if (!binding) throw new NotFoundError('Member', 'MEMBER_NOT_FOUND', { cardNo: check.cardNo });
      const points = pointsForAmount(body.amount);
      const refId = `${body.storeId}:${body.receiptNo}`;
      const credited = await insertEntry(binding.userId, binding._id, 'purchase', refId, points, points);
      if (!credited) throw new ConflictError('RECEIPT_ALREADY_CREDITED', 'Points for this receipt were already credited', { storeId: body.storeId, receiptNo: body.receiptNo });
      const [user, totals] = await Promise.all([m.User.findById(binding.userId).lean(), ledgerTotals(binding.userId)]);
      return { member: { cardNo: binding._id, nickname: user?.nickname ?? '', level: levelFor(totals.lifetime) }, pointsCredited: points, balance: totals.points };
    },

    /** The caller's ledger, newest first, with the balance. */
    async pointsPage(userId: string, cursor: string | undefined, limit: number): Promise<PointsPage> {
      const filter: Record<string, unknown> = { userId };
      if (cursor) {
        const [ms, id] = decodeCursor(cursor);
        filter.$or = [{ createdAt: { $lt: new Date(ms) } }, { createdAt: new Date(ms), _id: { $lt: id } }];
      }
      const rows = await m.PointsEntry.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit + 1).lean();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const entries: LedgerEntryDto[] = page.map((e) => ({ id: e._id, reason: e.reason, refId: e.refId, points: e.points, createdAt: e.createdAt.toISOString() }));
      return { balance: (await ledgerTotals(userId)).points, entries, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt.getTime(), last._id) : null };
    },
  };
  return service;
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

export type MemberService = ReturnType<typeof createMemberService>;
export { MEMBER_CODE_WINDOW_MS };
