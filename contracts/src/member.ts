import { z } from 'zod';
import { Cents, StoreId } from './common.js';
import { HostCode } from './identity.js';

/** Membership levels by lifetime points (lowest first). Members see member prices at every level. */
export const MEMBER_LEVELS = [
  { code: 'regular', name: '普通会员', minLifetimePoints: 0 },
  { code: 'silver', name: '银卡', minLifetimePoints: 1000 },
  { code: 'gold', name: '金卡', minLifetimePoints: 5000 },
  { code: 'diamond', name: '钻石', minLifetimePoints: 20000 },
] as const;
export type MemberLevelCode = (typeof MEMBER_LEVELS)[number]['code'];

export const MemberLevel = z.object({
  code: z.string(),
  name: z.string(),
  minLifetimePoints: z.number().int(),
  /** The level benefit: members of this level pay this % of the member price (100: none). */
  pricePercent: z.number().int().min(1).max(100).optional(),
});
export type MemberLevel = z.infer<typeof MemberLevel>;

/** Offline cards from the till system are 88xxxxxxxx; online cards issued by Linli are 66xxxxxxxx. */
export const CardNo = z.string().regex(/^(88|66)\d{8}$/, 'must be a 10-digit member card number');
export const SmsCode = z.string().regex(/^\d{6}$/, 'must be the 6-digit SMS code');

export const BindPhoneBody = z.object({ code: HostCode }).strict();
export type BindPhoneBody = z.infer<typeof BindPhoneBody>;

export const CardSmsBody = z.object({ cardNo: CardNo }).strict();
export type CardSmsBody = z.infer<typeof CardSmsBody>;

export const BindCardBody = z.object({ cardNo: CardNo, smsCode: SmsCode }).strict();
export type BindCardBody = z.infer<typeof BindCardBody>;

export const MemberDto = z.object({
  cardNo: z.string(),
  source: z.enum(['offline', 'online']),
  /** Holder's phone, masked. */
  phone: z.string(),
  level: MemberLevel,
  /** Spendable balance = sum of the ledger. */
  points: z.number().int(),
  lifetimePoints: z.number().int(),
  /** Lifetime points still missing for the next level; null at the top. */
  nextLevel: MemberLevel.extend({ pointsToGo: z.number().int() }).nullable(),
  boundAt: z.string(),
});
export type MemberDto = z.infer<typeof MemberDto>;

export const MemberResponse = z.object({
  /** Null until a card is bound. */
  member: MemberDto.nullable(),
  /** The user's bound phone, masked; null until bound. */
  phone: z.string().nullable(),
  /**
   * After a phone bind that found several unbound offline cards for the phone: bind one with card
   * number + SMS code. Otherwise absent.
   */
  hint: z.enum(['SEVERAL_CARDS_FOR_PHONE']).optional(),
  levels: z.array(MemberLevel),
});
export type MemberResponse = z.infer<typeof MemberResponse>;

export const CardSmsResponse = z.object({ sentTo: z.string(), expiresAt: z.string(), resendAfter: z.string() });
export type CardSmsResponse = z.infer<typeof CardSmsResponse>;

/** `GET /member/code`: rotates every 30 s; the till refuses codes older than 60 s. */
export const MemberCodeResponse = z.object({ code: z.string(), qr: z.string(), expiresAt: z.string(), refreshInS: z.number().int() });
export type MemberCodeResponse = z.infer<typeof MemberCodeResponse>;

export const PointsQuery = z
  .object({
    cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]+$/).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type PointsQuery = z.infer<typeof PointsQuery>;

export const LedgerEntryDto = z.object({
  id: z.string(),
  reason: z.string(),
  refId: z.string(),
  /** Signed change of the balance. */
  points: z.number().int(),
  createdAt: z.string(),
});
export type LedgerEntryDto = z.infer<typeof LedgerEntryDto>;

export const PointsPage = z.object({ balance: z.number().int(), entries: z.array(LedgerEntryDto), nextCursor: z.string().nullable() });
export type PointsPage = z.infer<typeof PointsPage>;

/** A till receipt number as printed: letters, digits, dashes. */
export const ReceiptNo = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be a receipt number');

/** `POST /clerk/members/scan/preview`: what the till is about to credit, for the clerk to confirm. */
export const MemberScanPreviewBody = z
  .object({
    storeId: StoreId,
    memberCode: z.string().min(1).max(100),
    receiptNo: ReceiptNo,
    /** Receipt total in integer cents; 1 point per whole yuan; at most the chain's cap per receipt. */
    amount: Cents.max(10_000_000),
  })
  .strict();
export type MemberScanPreviewBody = z.infer<typeof MemberScanPreviewBody>;

export const MemberScanPreviewResponse = z.object({
  /** The member, masked (card 88****0001, name 爱**): enough to check with the customer. */
  member: z.object({ cardNo: z.string(), nickname: z.string(), level: MemberLevel }),
  storeId: z.string(),
  receiptNo: z.string(),
  amountCents: z.number().int(),
  points: z.number().int(),
  /** The chain's cap per receipt, in cents. */
  capCents: z.number().int(),
  /** Signed over clerk, store, card, receipt and amount: `POST /clerk/members/scan` credits exactly this. */
  confirmToken: z.string(),
  expiresAt: z.string(),
});
export type MemberScanPreviewResponse = z.infer<typeof MemberScanPreviewResponse>;

/** `POST /clerk/members/scan`: credits the previewed receipt, once; the body must match the preview. */
export const MemberScanBody = z
  .object({
    storeId: StoreId,
    receiptNo: ReceiptNo,
    amount: Cents.max(10_000_000),
    confirmToken: z.string().min(1).max(1000),
    /** Accepted for older tills; the card is the one the confirmation names. */
    memberCode: z.string().min(1).max(100).optional(),
  })
  .strict();
export type MemberScanBody = z.infer<typeof MemberScanBody>;

export const MemberScanResponse = z.object({
  member: z.object({ cardNo: z.string(), nickname: z.string(), level: MemberLevel }),
  pointsCredited: z.number().int(),
  balance: z.number().int(),
  /** The ledger entry, which names the clerk who credited it. */
  entryId: z.string().optional(),
  clerkId: z.string().optional(),
});
export type MemberScanResponse = z.infer<typeof MemberScanResponse>;
