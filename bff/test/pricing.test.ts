import test from 'ava';
import { bestCoupon, couponCents, levelUnitPrice, priceOrder, type CouponRule, type OfferRule, type PriceContext, type PriceLineInput } from '../src/modules/pricing/pricing.js';

/**
 * The pricing module's steps (pricing.ts): shelf → member/level price → offers → one coupon → points
 * → delivery fee. Every row writes out the total and each adjustment it expects, computed by hand.
 */

const A: PriceLineInput = { productId: 'P0001', title: '苹果', image: '', qty: 2, shelfPriceCents: 1000, memberPriceCents: 900, categoryId: 'fruit' };
const B: PriceLineInput = { productId: 'P0002', title: '牛奶', image: '', qty: 1, shelfPriceCents: 550, memberPriceCents: 500, categoryId: 'dairy' };
const LINES = [A, B]; // shelf 2550, member 2300, gold 2185, silver 2254; 3 units
const CHEAP: PriceLineInput = { productId: 'P0003', title: '口香糖', image: '', qty: 1, shelfPriceCents: 100, memberPriceCents: 100 };
const ODD: PriceLineInput = { productId: 'P0004', title: '面包', image: '', qty: 1, shelfPriceCents: 333, memberPriceCents: 333 };

const OFFERS: OfferRule[] = [
  { id: 'o1', title: '满20减2', kind: 'amount', threshold: 2000, offCents: 200 },
  { id: 'o2', title: '满10减0.5', kind: 'amount', threshold: 1000, offCents: 50 },
  { id: 'o3', title: '满3件减1', kind: 'count', threshold: 3, offCents: 100 },
];
const base = { minSpendCents: 0, offCents: 0, percent: 100, maxOffCents: 0 };
const C1: CouponRule = { ...base, id: 'c1', title: '满20减3', kind: 'threshold', minSpendCents: 2000, offCents: 300 };
const C2: CouponRule = { ...base, id: 'c2', title: '无门槛1.5', kind: 'cash', offCents: 150 };
const C3: CouponRule = { ...base, id: 'c3', title: '八折最多3元', kind: 'percent', percent: 80, maxOffCents: 300 };
const C4: CouponRule = { ...base, id: 'c4', title: '乳品九折', kind: 'percent', percent: 90, categoryIds: ['dairy'] };
const C5: CouponRule = { ...base, id: 'c5', title: '指定商品券', kind: 'cash', offCents: 100, productIds: ['P0009'] };
const C6: CouponRule = { ...base, id: 'c6', title: '八八折', kind: 'percent', percent: 88 };

const GUEST: PriceContext = { member: false };
const MEMBER: PriceContext = { member: true, level: { code: 'regular', name: '普通会员', percent: 100 } };
const GOLD: PriceContext = { member: true, level: { code: 'gold', name: '金卡', percent: 95 } };
const SILVER: PriceContext = { member: true, level: { code: 'silver', name: '银卡', percent: 98 } };
const RICH = { balance: 10_000, use: true };

interface Row {
  name: string;
  lines?: PriceLineInput[];
  ctx: PriceContext;
  /** `kind:ref:cents` of each adjustment, in the order applied. */
  adjustments: string[];
  total: number;
  points?: number;
  coupon?: string | null;
}

const rows: Row[] = [
  // guest: shelf prices
  { name: 'guest, nothing', ctx: GUEST, adjustments: [], total: 2550 },
  { name: 'guest, offers: best 满额 then 满件', ctx: { ...GUEST, offers: OFFERS }, adjustments: ['offer:o1:200', 'offer:o3:100'], total: 2250 },
  { name: 'guest, 满减 coupon', ctx: { ...GUEST, coupon: C1 }, adjustments: ['coupon:c1:300'], total: 2250 },
  { name: 'guest, offers + 满减 (base 2250 after offers ≥ 2000)', ctx: { ...GUEST, offers: OFFERS, coupon: C1 }, adjustments: ['offer:o1:200', 'offer:o3:100', 'coupon:c1:300'], total: 1950 },
  { name: 'guest, 八折 capped at 3 元 (510 → 300)', ctx: { ...GUEST, coupon: C3 }, adjustments: ['coupon:c3:300'], total: 2250 },
  { name: 'guest, 乳品九折 on its category only (550 → 55)', ctx: { ...GUEST, coupon: C4 }, adjustments: ['coupon:c4:55'], total: 2495 },
  { name: 'guest, coupon out of scope', ctx: { ...GUEST, coupon: C5 }, adjustments: [], total: 2550, coupon: 'OUT_OF_SCOPE' },
  { name: 'guest, points: half of 2550', ctx: { ...GUEST, points: RICH }, adjustments: ['points::1275'], total: 1275, points: 1275 },
  { name: 'guest, offers + 无门槛 + points', ctx: { ...GUEST, offers: OFFERS, coupon: C2, points: RICH }, adjustments: ['offer:o1:200', 'offer:o3:100', 'coupon:c2:150', 'points::1050'], total: 1050, points: 1050 },
  { name: 'guest, points not asked for', ctx: { ...GUEST, points: { balance: 10_000, use: false } }, adjustments: [], total: 2550, points: 0 },
  // member (regular level: member price only)
  { name: 'member, nothing', ctx: MEMBER, adjustments: ['member::250'], total: 2300 },
  { name: 'member, offers', ctx: { ...MEMBER, offers: OFFERS }, adjustments: ['member::250', 'offer:o1:200', 'offer:o3:100'], total: 2000 },
  { name: 'member, 满减', ctx: { ...MEMBER, coupon: C1 }, adjustments: ['member::250', 'coupon:c1:300'], total: 2000 },
  { name: 'member, offers + 满减 (base exactly 2000)', ctx: { ...MEMBER, offers: OFFERS, coupon: C1 }, adjustments: ['member::250', 'offer:o1:200', 'offer:o3:100', 'coupon:c1:300'], total: 1700 },
  { name: 'member, 八折 capped', ctx: { ...MEMBER, coupon: C3 }, adjustments: ['member::250', 'coupon:c3:300'], total: 2000 },
  { name: 'member, 八八折 uncapped (2300 × 12 % = 276)', ctx: { ...MEMBER, coupon: C6 }, adjustments: ['member::250', 'coupon:c6:276'], total: 2024 },
  { name: 'member, points limited by the balance', ctx: { ...MEMBER, points: { balance: 100, use: true } }, adjustments: ['member::250', 'points::100'], total: 2200, points: 100 },
  { name: 'member, offers + 八折 + points', ctx: { ...MEMBER, offers: OFFERS, coupon: C3, points: RICH }, adjustments: ['member::250', 'offer:o1:200', 'offer:o3:100', 'coupon:c3:300', 'points::850'], total: 850, points: 850 },
  // levels
  { name: 'gold, nothing (855 and 475 a unit)', ctx: GOLD, adjustments: ['member::250', 'level:gold:115'], total: 2185 },
  { name: 'gold, offers', ctx: { ...GOLD, offers: OFFERS }, adjustments: ['member::250', 'level:gold:115', 'offer:o1:200', 'offer:o3:100'], total: 1885 },
  { name: 'gold, 满减', ctx: { ...GOLD, coupon: C1 }, adjustments: ['member::250', 'level:gold:115', 'coupon:c1:300'], total: 1885 },
  { name: 'gold, offers take the base below the 满减 threshold', ctx: { ...GOLD, offers: OFFERS, coupon: C1 }, adjustments: ['member::250', 'level:gold:115', 'offer:o1:200', 'offer:o3:100'], total: 1885, coupon: 'BELOW_THRESHOLD' },
  { name: 'gold, offers + 无门槛 + points (1735 / 2 rounded down)', ctx: { ...GOLD, offers: OFFERS, coupon: C2, points: RICH }, adjustments: ['member::250', 'level:gold:115', 'offer:o1:200', 'offer:o3:100', 'coupon:c2:150', 'points::867'], total: 868, points: 867 },
  { name: 'silver, nothing (882 and 490 a unit)', ctx: SILVER, adjustments: ['member::250', 'level:silver:46'], total: 2254 },
  { name: 'silver, 乳品九折 on the level price (490 → 49)', ctx: { ...SILVER, coupon: C4 }, adjustments: ['member::250', 'level:silver:46', 'coupon:c4:49'], total: 2205 },
  { name: 'a level without a card gives nothing', ctx: { member: false, level: GOLD.level }, adjustments: [], total: 2550 },
  // never negative
  { name: 'cash coupon larger than the order', lines: [CHEAP], ctx: { ...GUEST, coupon: C2, points: RICH }, adjustments: ['coupon:c2:100'], total: 0, points: 0 },
  { name: 'offer takes all, coupon finds nothing left', lines: [CHEAP], ctx: { ...GUEST, offers: [{ id: 'o9', title: '立减5元', kind: 'amount', threshold: 0, offCents: 500 }], coupon: C2 }, adjustments: ['offer:o9:100'], total: 0, coupon: 'BELOW_THRESHOLD' },
  // group seats: the deal price, nothing else
  { name: 'group seat: no level, offers, coupon or points', lines: [{ ...A, qty: 1 }], ctx: { ...GOLD, deal: { id: 'D001', title: '拼团价', unitPriceCents: 800 }, offers: OFFERS, coupon: C2, points: RICH }, adjustments: ['deal:D001:200'], total: 800, points: 0, coupon: 'NOT_FOR_GROUPS' },
  // rounding
  { name: 'gold level rounds the discount down (333 × 95 % = 316.35 → 317)', lines: [{ ...ODD, qty: 3 }], ctx: GOLD, adjustments: ['level:gold:48'], total: 951 },
  { name: '折扣 rounds the discount down (333 × 12 % = 39.96 → 39)', lines: [ODD], ctx: { ...GUEST, coupon: C6 }, adjustments: ['coupon:c6:39'], total: 294 },
  { name: 'points round down (333 / 2 → 166)', lines: [ODD], ctx: { ...GUEST, points: RICH }, adjustments: ['points::166'], total: 167, points: 166 },
  // delivery fee comes last and is never paid by points
  { name: 'delivery fee', ctx: { ...GUEST, deliveryFeeCents: 500 }, adjustments: [], total: 3050 },
  { name: 'delivery fee + points (points on the goods only)', ctx: { ...GUEST, points: RICH, deliveryFeeCents: 500 }, adjustments: ['points::1275'], total: 1775, points: 1275 },
];

for (const row of rows) {
  test(`pricing: ${row.name}`, (t) => {
    const out = priceOrder(row.lines ?? LINES, row.ctx);
    t.deepEqual(
      out.pricing.adjustments.map((a) => `${a.kind}:${a.ref}:${a.amountCents}`),
      row.adjustments,
    );
    t.is(out.pricing.totalCents, row.total);
    const adjusted = out.pricing.adjustments.reduce((s, a) => s + a.amountCents, 0);
    t.is(out.pricing.itemsCents - adjusted + out.pricing.deliveryFeeCents, out.pricing.totalCents, 'total = items − adjustments + delivery');
    t.true(out.pricing.totalCents >= 0);
    if (row.points !== undefined) t.is(out.pricing.pointsUsed, row.points);
    if (row.coupon !== undefined) t.is((out.coupon?.problem ?? null) as string | null, row.coupon);
    if (row.ctx.coupon && row.coupon === undefined) t.true(out.coupon?.applied);
  });
}

test('pricing: unit prices carry the member and level price', (t) => {
  const out = priceOrder(LINES, GOLD);
  t.deepEqual(
    out.items.map((i) => [i.productId, i.shelfPriceCents, i.unitPriceCents]),
    [
      ['P0001', 1000, 855],
      ['P0002', 550, 475],
    ],
  );
});

test('pricing: the best coupon is the one taking the most off (first of equals)', (t) => {
  const best = bestCoupon(LINES, { ...MEMBER, offers: OFFERS }, [C5, C4, C2, C1, C3]);
  t.is(best?.coupon.id, 'c1');
  t.is(best?.amountCents, 300);
  t.is(bestCoupon(LINES, GUEST, [C5]), null);
});

test('pricing: helpers round as documented', (t) => {
  t.is(levelUnitPrice(999, 95), 950); // 949.05 → 950
  t.is(levelUnitPrice(100, 100), 100);
  t.is(couponCents(C1, 1999), 0);
  t.is(couponCents(C1, 2000), 300);
  t.is(couponCents(C6, 1001), 120); // 120.12 → 120
  t.is(couponCents(C3, 1000), 200);
  t.is(couponCents(C3, 5000), 300);
  t.is(couponCents(C2, 80), 80);
});
