import { randomBytes } from 'node:crypto';
import type { CreateShareBody, FunnelCounts, FunnelDto, SharePayload, ShareDto, ShareLinkQuery, ShareVisitDto } from '@linli/contracts';
import { NotFoundError, isDuplicateKeyError } from '../../common/errors.js';
import { firstTouchId, type ShareModels } from './share.model.js';
import type { ShareTarget, ShareTargets } from './share.targets.js';

type TargetType = CreateShareBody['targetType'];

interface ShareDoc {
  _id: string;
  sharerId: string;
  targetType: TargetType;
  targetId: string;
  dealId: string | null;
  confirmed: boolean;
}

const PAGES: Record<TargetType, string> = { group: '/pages/group/index', deal: '/pages/deal/index', product: '/pages/product/index' };

/** The miniapp page a share card opens: the target, the share id (for attribution) and the store it opens at. */
export function sharePath(targetType: TargetType, targetId: string, shareId: string | null, storeId?: string | null): string {
  const q = [`id=${targetId}`, shareId ? `shareId=${shareId}` : '', storeId ? `storeId=${storeId}` : ''].filter(Boolean).join('&');
  return `${PAGES[targetType]}?${q}`;
}

/** The poster of a share at a store, under the API base. */
export const posterPath = (shareId: string, storeId: string) => `/shares/${shareId}/poster?storeId=${storeId}`;

const toDto = (s: ShareDoc, t: ShareTarget): ShareDto => ({
  id: s._id,
  targetType: s.targetType,
  targetId: s.targetId,
  dealId: s.dealId,
  storeId: t.storeId,
  path: sharePath(s.targetType, s.targetId, s._id, t.storeId),
  title: t.title,
  imageUrl: t.product.image,
  posterUrl: posterPath(s._id, t.storeId),
});
const zero = (): FunnelCounts => ({ shares: 0, visits: 0, joins: 0, paid: 0, pickedUp: 0 });

export interface ShareServiceDeps {
  models: ShareModels;
  /** The deal of a target (null for a product); 404 when the target does not exist. */
  dealOf(targetType: TargetType, targetId: string): Promise<string | null>;
  /** The orders placed on a deal through a share: who, paid or not, collected or not. */
  sharedOrders(dealId: string): Promise<{ _id: string; shareId: string; paidAt: Date | null; status: string }[]>;
  nicknames(userIds: string[]): Promise<Map<string, string>>;
  /** What a target is at the store its link opens (404 when it does not exist there). */
  targets: ShareTargets;
}

/**
 * Share attribution: who shared what, each visitor's first visit of a share, and which orders came
 * from a share (first touch: the earliest share of the deal the buyer visited wins). An order names
 * its share itself (`order.shareId`), so attributing costs the order nothing extra.
 */
export class ShareService {
  constructor(private readonly d: ShareServiceDeps) {}

  private get m() {
    return this.d.models;
  }

  /** The sharer's one share of a target, made on first use; `confirm` marks it as really shared. */
  async getOrCreate(sharerId: string, targetType: TargetType, targetId: string, confirm: boolean): Promise<ShareDoc> {
    const key = { sharerId, targetType, targetId };
    const found = (await this.m.Share.findOne(key).lean()) as ShareDoc | null;
    if (found) {
      if (confirm && !found.confirmed) await this.m.Share.updateOne({ _id: found._id }, { $set: { confirmed: true } });
      return { ...found, confirmed: found.confirmed || confirm };
    }
    const dealId = await this.d.dealOf(targetType, targetId);
    try {
      const doc = await this.m.Share.create({ _id: `sh_${randomBytes(16).toString('base64url')}`, ...key, dealId, confirmed: confirm });
      return doc.toObject() as ShareDoc;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return this.getOrCreate(sharerId, targetType, targetId, confirm);
    }
  }

  /** Records a visitor's visit; `firstVisit` only the first time this visitor opens this share. */
  async visit(shareId: string, visitorId: string): Promise<ShareVisitDto> {
    const s = (await this.m.Share.findById(shareId).lean()) as ShareDoc | null;
    if (!s) throw new NotFoundError('Share', 'SHARE_NOT_FOUND', { shareId });
    // Opening your own share card is not a visit.
    if (s.sharerId === visitorId) return { shareId, firstVisit: false, attributedShareId: null };
    let firstVisit = true;
    try {
      await this.m.ShareVisit.create({ _id: `${shareId}:${visitorId}`, shareId, sharerId: s.sharerId, visitorId, dealId: s.dealId });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      firstVisit = false;
    }
    if (!s.confirmed) await this.m.Share.updateOne({ _id: shareId }, { $set: { confirmed: true } });
    if (!s.dealId) return { shareId, firstVisit, attributedShareId: shareId };
    let first = firstVisit ? await this.touch(s.dealId, visitorId, shareId) : null;
    // A repeat visit reads it; a visit whose first touch a crash left unwritten writes it now.
    first ??= (await this.firstTouch(visitorId, s.dealId)) ?? (await this.touch(s.dealId, visitorId, shareId)) ?? (await this.firstTouch(visitorId, s.dealId));
    return { shareId, firstVisit, attributedShareId: first };
  }

  /** Makes this share the visitor's first touch of the deal unless one is there; the id when it is. */
  private async touch(dealId: string, visitorId: string, shareId: string): Promise<string | null> {
    try {
      await this.m.ShareFirstTouch.create({ _id: firstTouchId(dealId, visitorId), shareId });
      return shareId;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return null;
    }
  }

  /** The first share of the deal the visitor opened: one read by `_id`. */
  private async firstTouch(userId: string, dealId: string): Promise<string | null> {
    const v = (await this.m.ShareFirstTouch.collection.findOne({ _id: firstTouchId(dealId, userId) } as never, { projection: { shareId: 1 } })) as { shareId: string } | null;
    return v?.shareId ?? null;
  }

  /** `POST /shares`: the sharer really shared; the share id and link the card carries (counted from now on). */
  async share(sharerId: string, body: CreateShareBody): Promise<ShareDto> {
    const t = await this.d.targets.describe(body.targetType, body.targetId, body.storeId);
    return toDto(await this.getOrCreate(sharerId, body.targetType, body.targetId, true), t);
  }

  /** `GET /shares/link`: the viewer's share card, prepared before a tap (not counted until shared or visited). */
  async link(sharerId: string, q: ShareLinkQuery): Promise<ShareDto> {
    const t = await this.d.targets.describe(q.targetType, q.targetId, q.storeId);
    return toDto(await this.getOrCreate(sharerId, q.targetType, q.targetId, false), t);
  }

  /** The share card a page shows: the viewer's own share id when logged in, else a link without one. */
  async payload(viewerId: string | undefined, targetType: TargetType, targetId: string, storeId: string): Promise<SharePayload> {
    const t = await this.d.targets.describe(targetType, targetId, storeId);
    const s = viewerId ? await this.getOrCreate(viewerId, targetType, targetId, false) : null;
    return { title: t.title, path: sharePath(targetType, targetId, s?._id ?? null, t.storeId), imageUrl: t.product.image, shareId: s?._id ?? null };
  }

  /** The share and its target at a store, for anyone holding the id (a link, a poster, a scene); 404 SHARE_NOT_FOUND. */
  async resolve(shareId: string, storeId?: string | null): Promise<{ share: ShareDto; target: ShareTarget }> {
    const s = (await this.m.Share.findById(shareId).lean()) as ShareDoc | null;
    if (!s) throw new NotFoundError('Share', 'SHARE_NOT_FOUND', { shareId });
    const target = await this.d.targets.describe(s.targetType, s.targetId, storeId);
    return { share: toDto(s, target), target };
  }

  /**
   * The share an order on this deal is attributed to: the first share of the deal the buyer
   * visited; failing that, the share the request names (recorded as a visit now). Never their own.
   */
  async attribute(userId: string, dealId: string, named?: string): Promise<string | undefined> {
    const first = await this.firstTouch(userId, dealId);
    if (first) return first;
    if (!named) return undefined;
    const s = (await this.m.Share.findById(named).lean()) as ShareDoc | null;
    if (!s || s.dealId !== dealId || s.sharerId === userId) return undefined;
    return (await this.visit(named, userId)).attributedShareId ?? undefined;
  }

  /** shares → visits → joins → paid → picked up for one deal, in total and per sharer. */
  async funnel(dealId: string): Promise<FunnelDto> {
    const [shares, visits, orders] = await Promise.all([
      this.m.Share.find({ dealId, confirmed: true }, { sharerId: 1 }).lean(),
      this.m.ShareVisit.find({ dealId }, { sharerId: 1 }).lean(),
      this.d.sharedOrders(dealId),
    ]);
    const sharerOf = new Map((await this.m.Share.find({ _id: { $in: [...new Set(orders.map((o) => o.shareId))] } }, { sharerId: 1 }).lean()).map((s) => [s._id, s.sharerId]));
    const totals = zero();
    const per = new Map<string, FunnelCounts>();
    const row = (sharerId: string) => {
      let r = per.get(sharerId);
      if (!r) per.set(sharerId, (r = zero()));
      return r;
    };
    for (const s of shares) {
      totals.shares++;
      row(s.sharerId).shares++;
    }
    for (const v of visits) {
      totals.visits++;
      row(v.sharerId).visits++;
    }
    for (const o of orders) {
      const sharer = sharerOf.get(o.shareId);
      if (!sharer) continue;
      const r = row(sharer);
      totals.joins++;
      r.joins++;
      if (o.paidAt) {
        totals.paid++;
        r.paid++;
      }
      if (o.status === 'picked_up') {
        totals.pickedUp++;
        r.pickedUp++;
      }
    }
    const ids = [...per.keys()];
    const names = await this.d.nicknames(ids);
    const bySharer = ids
      .map((sharerId) => ({ sharerId, nickname: names.get(sharerId) ?? '', ...per.get(sharerId)! }))
      .sort((a, b) => b.joins - a.joins || b.visits - a.visits || a.sharerId.localeCompare(b.sharerId));
    return { dealId, totals, bySharer };
  }
}
