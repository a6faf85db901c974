import { randomBytes } from 'node:crypto';
import type { CreateShareBody, FunnelCounts, FunnelDto, ShareDto, ShareVisitDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { NotFoundError, isDuplicateKeyError } from '../../common/errors.js';

type TargetType = CreateShareBody['targetType'];

interface ShareDoc {
  _id: string;
  sharerId: string;
  targetType: TargetType;
  targetId: string;
  dealId: string | null;
  confirmed: boolean;
}

/** The miniapp page a share card opens. */
export function sharePath(targetType: TargetType, targetId: string, shareId: string | null): string {
  const q = shareId ? `&shareId=${shareId}` : '';
  if (targetType === 'group') return `/pages/group/index?id=${targetId}${q}`;
  if (targetType === 'deal') return `/pages/deal/index?id=${targetId}${q}`;
  return `/pages/product/index?id=${targetId}${q}`;
}

const toDto = (s: ShareDoc): ShareDto => ({ id: s._id, targetType: s.targetType, targetId: s.targetId, dealId: s.dealId, path: sharePath(s.targetType, s.targetId, s._id) });
const zero = (): FunnelCounts => ({ shares: 0, visits: 0, joins: 0, paid: 0, pickedUp: 0 });

/**
 * Share attribution: who shared what, each visitor's first visit of a share, and which orders came
 * from a share (first touch: the earliest share of the deal the buyer visited wins).
 */
export function createShareService(core: Core) {
  const { m } = core;

  async function dealOf(targetType: TargetType, targetId: string): Promise<string | null> {
    if (targetType === 'group') {
      const g = await m.Group.findById(targetId).lean();
      if (!g) throw new NotFoundError('Group', 'GROUP_NOT_FOUND', { groupId: targetId });
      return g.dealId;
    }
    if (targetType === 'deal') {
      if (!(await m.Deal.exists({ _id: targetId }))) throw new NotFoundError('Deal', 'DEAL_NOT_FOUND', { dealId: targetId });
      return targetId;
    }
    if (!(await m.Product.exists({ _id: targetId }))) throw new NotFoundError('Product', 'PRODUCT_NOT_FOUND', { productId: targetId });
    return null;
  }

  /** The sharer's one share of a target, made on first use; `confirm` marks it as really shared. */
  async function getOrCreate(sharerId: string, targetType: TargetType, targetId: string, confirm: boolean): Promise<ShareDoc> {
    const key = { sharerId, targetType, targetId };
    const found = (await m.Share.findOne(key).lean()) as ShareDoc | null;
    if (found) {
      if (confirm && !found.confirmed) await m.Share.updateOne({ _id: found._id }, { $set: { confirmed: true } });
      return { ...found, confirmed: found.confirmed || confirm };
    }
    const dealId = await dealOf(targetType, targetId);
    try {
      const doc = await m.Share.create({ _id: `sh_${randomBytes(16).toString('base64url')}`, ...key, dealId, confirmed: confirm });
      return doc.toObject() as ShareDoc;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return getOrCreate(sharerId, targetType, targetId, confirm);
    }
  }

  /** Records a visitor's visit; true only the first time this visitor opens this share. */
  async function visit(shareId: string, visitorId: string): Promise<ShareVisitDto> {
    const s = (await m.Share.findById(shareId).lean()) as ShareDoc | null;
    if (!s) throw new NotFoundError('Share', 'SHARE_NOT_FOUND', { shareId });
    // Opening your own share card is not a visit.
    if (s.sharerId === visitorId) return { shareId, firstVisit: false, attributedShareId: null };
    let firstVisit = true;
    try {
      await m.ShareVisit.create({ _id: `${shareId}:${visitorId}`, shareId, sharerId: s.sharerId, visitorId, dealId: s.dealId });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      firstVisit = false;
    }
    if (!s.confirmed) await m.Share.updateOne({ _id: shareId }, { $set: { confirmed: true } });
    const first = s.dealId ? await firstTouch(visitorId, s.dealId) : shareId;
    return { shareId, firstVisit, attributedShareId: first };
  }

  async function firstTouch(userId: string, dealId: string): Promise<string | null> {
    const v = await m.ShareVisit.find({ visitorId: userId, dealId }).sort({ createdAt: 1, _id: 1 }).limit(1).lean();
    return v[0]?.shareId ?? null;
  }

  return {
    getOrCreate,
    visit,

    /** `POST /shares`: the share id the sharer's card carries. */
    async share(sharerId: string, body: CreateShareBody): Promise<ShareDto> {
      return toDto(await getOrCreate(sharerId, body.targetType, body.targetId, true));
    },

    /**
     * The share an order on this deal is attributed to: the first share of the deal the buyer
     * visited; failing that, the share the request names (recorded as a visit now). Never their own.
     */
    async attribute(userId: string, dealId: string, named?: string): Promise<string | undefined> {
      const first = await firstTouch(userId, dealId);
      if (first) return first;
      if (!named) return undefined;
      const s = (await m.Share.findById(named).lean()) as ShareDoc | null;
      if (!s || s.dealId !== dealId || s.sharerId === userId) return undefined;
      await visit(named, userId);
      return (await firstTouch(userId, dealId)) ?? undefined;
    },

    /** Remembers that an order came from a share (once per order). */
    async recordConversion(c: { orderId: string; shareId: string; userId: string; dealId: string; groupId: string }): Promise<void> {
      const s = (await m.Share.findById(c.shareId).lean()) as ShareDoc | null;
      if (!s) return;
      try {
        await m.ShareConversion.create({ _id: c.orderId, shareId: c.shareId, sharerId: s.sharerId, userId: c.userId, dealId: c.dealId, groupId: c.groupId });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },

    async markPaid(orderId: string): Promise<void> {
      await m.ShareConversion.updateOne({ _id: orderId, paidAt: null }, { $set: { paidAt: core.clock.now() } });
    },

    /** shares → visits → joins → paid → picked up for one deal, in total and per sharer. */
    async funnel(dealId: string): Promise<FunnelDto> {
      const [shares, visits, conversions] = await Promise.all([
        m.Share.find({ dealId, confirmed: true }, { sharerId: 1 }).lean(),
        m.ShareVisit.find({ dealId }, { sharerId: 1 }).lean(),
        m.ShareConversion.find({ dealId }, { sharerId: 1, paidAt: 1 }).lean(),
      ]);
      const orderIds = conversions.map((c) => c._id);
      const pickedUp = new Set(
        orderIds.length
          ? (await core.conn.collection<{ _id: string }>('orders').find({ _id: { $in: orderIds }, status: 'picked_up' }, { projection: { _id: 1 } }).toArray()).map((o) => o._id)
          : [],
      );
      const totals = zero();
      const per = new Map<string, FunnelCounts>();
      const row = (sharerId: string) => {
        let r = per.get(sharerId);
        if (!r) per.set(sharerId, (r = zero()));
        return r;
      };
      for (const s of shares) { totals.shares++; row(s.sharerId).shares++; }
      for (const v of visits) { totals.visits++; row(v.sharerId).visits++; }
      for (const c of conversions) {
        const r = row(c.sharerId);
        totals.joins++; r.joins++;
        if (c.paidAt) { totals.paid++; r.paid++; }
        if (pickedUp.has(c._id)) { totals.pickedUp++; r.pickedUp++; }
      }
      const ids = [...per.keys()];
      const users = ids.length ? await m.User.find({ _id: { $in: ids } }, { nickname: 1 }).lean() : [];
      const names = new Map(users.map((u) => [u._id, u.nickname]));
      const bySharer = ids
        .map((sharerId) => ({ sharerId, nickname: names.get(sharerId) ?? '', ...per.get(sharerId)! }))
        .sort((a, b) => b.joins - a.joins || b.visits - a.visits || a.sharerId.localeCompare(b.sharerId));
      return { dealId, totals, bySharer };
    },
  };
}
export type ShareService = ReturnType<typeof createShareService>;

declare module '../../core.js' {
  interface Services {
    share: ShareService;
  }
}
