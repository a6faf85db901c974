import { fakerZH_CN as faker } from '@faker-js/faker';
import { CATEGORIES, DISTRICTS, type ItemSeed } from './data.js';
import pictures from './pictures.json' with { type: 'json' };
import { groupPrice, memberPrice, specPrices, storePrices } from './prices.js';
import { placeholderSvg } from './svg.js';

export const SEED = 20261122;
/** Fixed instant so that generated data is the same on every run. */
export const SEED_EPOCH = new Date('2026-01-01T00:00:00.000Z');

export const STORES_PER_DISTRICT = 2;
export const OFFLINE_CARDS = 1200;

/** Demo identities (DESIGN.md): host openids and what they are. */
export const DEMO_USERS = [
  { openid: 'demo-alice', nickname: '爱丽丝', roles: ['customer'], phone: '13800000001', clerkStoreIds: [] },
  { openid: 'demo-bob', nickname: '小鲍', roles: ['customer'], phone: '13800000002', clerkStoreIds: [] },
  { openid: 'demo-carol', nickname: '卡萝', roles: ['customer'], phone: '13800000003', clerkStoreIds: [] },
  { openid: 'demo-clerk', nickname: '店员小王', roles: ['customer', 'clerk'], phone: '13800000009', clerkStoreIds: ['S001'] },
  { openid: 'demo-admin', nickname: '运营管理员', roles: ['customer', 'admin'], phone: '13800000010', clerkStoreIds: [] },
] as const;

export const userIdFor = (openid: string) => `u_${openid}`;
const AVATAR_COLORS = ['#f06a5b', '#4caf50', '#1e88e5', '#ff9800', '#8e24aa', '#00897b'];
export const avatarFor = (nickname: string, i: number) => placeholderSvg(AVATAR_COLORS[i % AVATAR_COLORS.length], '', nickname.slice(0, 1), 64);

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Where the BFF serves an item's picture, relative to the API base (see bff/static/products/README.md). */
export function productImagePath(itemName: string): string {
  const file = (pictures as Record<string, string>)[itemName];
  if (!file) throw new Error(`no picture for ${itemName}: run npm run pictures -w mock`);
  return `/static/products/${file}`;
}

/** The whole demo chain, generated deterministically from SEED (same output on every run). */
export function generateChain() {
  faker.seed(SEED);
  const now = SEED_EPOCH;

  const stores = DISTRICTS.flatMap((d, di) =>
    Array.from({ length: STORES_PER_DISTRICT }, (_, k) => {
      const n = di * STORES_PER_DISTRICT + k + 1;
      // The first store of a district stands at its centre; the others within ~1.5 km of it.
      const lat = k === 0 ? d.lat : d.lat + faker.number.float({ min: -0.012, max: 0.012, fractionDigits: 5 });
      const lng = k === 0 ? d.lng : d.lng + faker.number.float({ min: -0.014, max: 0.014, fractionDigits: 5 });
      const road = d.roads[k % d.roads.length];
      return {
        _id: `S${pad(n, 3)}`,
        name: `邻里·${d.district.replace(/区|新区$/, '')}${road}店`,
        city: d.city,
        district: d.district,
        address: `${d.city}市${d.district}${road}${faker.number.int({ min: 1, max: 999 })}号`,
        lat: Number(lat.toFixed(5)),
        lng: Number(lng.toFixed(5)),
        phone: `${d.city === '上海' ? '021' : '0571'}-${faker.string.numeric(8)}`,
        openHours: k % 3 === 0 ? '00:00-24:00' : '07:00-23:00',
        active: true,
        // 同城配送: 3 km around a district's first store (it delivers round the clock), 5 km for the others.
        delivery: {
          enabled: true,
          radiusM: k === 0 ? 3000 : 5000,
          feeCents: k === 0 ? 500 : 600,
          freeOverCents: 3900,
          minOrderCents: 2000,
          hours: k % 3 === 0 ? { open: '00:00', close: '24:00' } : { open: '08:00', close: '22:00' },
          slotMinutes: 60,
          prepMinutes: 30,
          timeZone: 'Asia/Shanghai',
        },
      };
    }),
  );

  const categories = CATEGORIES.map((c, i) => ({ _id: c.id, name: c.name, sort: i + 1, icon: c.icon }));

  // One product per item × spec, in catalog order: P0001 is the first spec of the first item, and so on.
  const catalog = CATEGORIES.flatMap((c) => c.items.flatMap((item) => c.specs.map((spec, k) => ({ c, item, spec, k }))));
  const products = catalog.map(({ c, item, spec, k }, i) => {
    const title = `${item.name} ${spec.name}`;
    return {
      _id: `P${pad(i + 1, 4)}`,
      title,
      titleNorm: title.normalize('NFKC').toLowerCase(),
      subtitle: faker.helpers.arrayElement(['产地直采', '当日新鲜', '门店热销', '会员专享', '品质之选', '邻里推荐']),
      categoryId: c.id,
      unit: c.unit,
      image: productImagePath(item.name),
      /** The chain's price of this spec; stores sell within a few percent of it. */
      basePriceCents: specPrices(item.priceCents, c.specs)[k],
      seq: i + 1,
      active: true,
    };
  });

  // Items with a group deal sell at the chain price in every store, so a deal's solo price is the
  // shelf price wherever the deal runs.
  const DEAL_PRODUCTS = ['P0010', 'P0001', 'P0043', 'P0121', 'P0157', 'P0094', 'P0181', 'P0244'];
  const chainPriced = new Set(DEAL_PRODUCTS.map((id) => catalog[Number(id.slice(1)) - 1].item));

  const inventory = stores.flatMap((s) => {
    // Each store sets one factor per item (rents and suppliers differ) and prices the specs from it.
    const ladders = new Map<ItemSeed, number[]>();
    for (const c of CATEGORIES) {
      for (const item of c.items) {
        const chain = specPrices(item.priceCents, c.specs);
        ladders.set(item, chainPriced.has(item) ? chain : storePrices(chain, c.specs, faker.number.float({ min: 0.97, max: 1.05, fractionDigits: 3 })));
      }
    }
    return products.map((p, i) => {
      const price = ladders.get(catalog[i].item)![catalog[i].k];
      return {
        _id: `${s._id}:${p._id}`,
        storeId: s._id,
        productId: p._id,
        categoryId: p.categoryId,
        seq: p.seq,
        priceCents: price,
        memberPriceCents: memberPrice(price),
        stock: faker.helpers.weightedArrayElement([
          { weight: 1, value: 0 },
          { weight: 9, value: faker.number.int({ min: 5, max: 200 }) },
        ]),
        active: true,
      };
    });
  });

  const demoPhones = new Set<string>(DEMO_USERS.map((u) => u.phone));
  const memberCards = Array.from({ length: OFFLINE_CARDS }, (_, i) => {
    let phone = `1${faker.helpers.arrayElement(['35', '36', '37', '38', '39', '50', '58', '86', '88'])}${faker.string.numeric(8)}`;
    // Alice and Carol have offline cards under their phone numbers; Bob has none.
    if (i === 0) phone = DEMO_USERS[0].phone;
    if (i === 1) phone = DEMO_USERS[2].phone;
    else if (i > 1 && demoPhones.has(phone)) phone = `1990000${pad(i, 4)}`;
    const lifetime = faker.number.int({ min: 0, max: 12000 });
    return {
      _id: `88${pad(i + 1, 8)}`,
      phone,
      name: faker.person.fullName(),
      source: 'offline' as const,
      points: Math.floor(lifetime * faker.number.float({ min: 0.2, max: 1 })),
      lifetimePoints: lifetime,
    };
  });

  const users = DEMO_USERS.map((u, i) => ({
    _id: userIdFor(u.openid),
    openid: u.openid,
    unionid: `union-${u.openid}`,
    nickname: u.nickname,
    avatar: avatarFor(u.nickname, i),
    roles: [...u.roles],
    clerkStoreIds: [...u.clerkStoreIds],
  }));

  // Group deals: for each city, a few popular products at every store of that city (the first two
  // everywhere). Solo price = the shelf price, group price about a fifth off and below the member price.
  const deals = DEAL_PRODUCTS.map((pid, i) => {
    const p = products.find((x) => x._id === pid)!;
    const city = i % 2 === 0 ? '上海' : '杭州';
    const size = [2, 3, 2, 5, 3, 2, 4, 3][i];
    const solo = p.basePriceCents;
    return {
      _id: `D${pad(i + 1, 3)}`,
      productId: pid,
      storeIds: stores.filter((s) => s.city === city || i < 2).map((s) => s._id),
      title: `${p.title} ${size}人团`,
      groupSize: size,
      groupPriceCents: groupPrice(solo),
      soloPriceCents: solo,
      durationMinutes: 24 * 60,
      perUserLimit: 2,
      newMembersOnly: i === 5,
      leaderDiscountCents: i % 3 === 0 ? 100 : 0,
      startAt: now,
      endAt: new Date('2030-12-31T16:00:00.000Z'),
      stockCap: 5000,
      sold: 0,
      active: true,
    };
  });

  return { stores, categories, products, inventory, memberCards, users, deals };
}
export type Chain = ReturnType<typeof generateChain>;
