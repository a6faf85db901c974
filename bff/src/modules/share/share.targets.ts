import type { ProductDto, ShareTargetType, StoreDto } from '@linli/contracts';
import { NotFoundError, ValidationError } from '../../common/errors.js';

/** What a share card, a link and a poster say about the thing shared, at the store the link opens. */
export interface ShareTarget {
  targetType: ShareTargetType;
  targetId: string;
  dealId: string | null;
  storeId: string;
  store: StoreDto | null;
  product: { id: string; title: string; image: string; unit: string };
  /** The headline price: the group price of a deal or group, the store's shelf price of a product. */
  priceCents: number;
  priceLabel: string;
  /** The store's shelf price (struck through beside a group price). */
  shelfPriceCents: number;
  /** A short tag: `3人团`, `还差1人`. */
  badge: string | null;
  /** The share card's title. */
  title: string;
}

/** The reads a target description needs (each throws its own 404 when the thing does not exist). */
export interface ShareTargetPorts {
  product(storeId: string, productId: string): Promise<ProductDto>;
  deal(dealId: string): Promise<{ _id: string; productId: string; storeIds: string[]; groupSize: number; groupPriceCents: number }>;
  group(groupId: string): Promise<{ _id: string; dealId: string; storeId: string; productId: string; seatsLeft: number; size: number }>;
  store(storeId: string): Promise<StoreDto | null>;
}

const yuan = (cents: number) => `¥${(cents / 100).toFixed(2)}`;

/** Describes share targets: a product or deal at a named store, a group at its own store. */
export class ShareTargets {
  constructor(private readonly p: ShareTargetPorts) {}

  /**
   * The target at the store its link opens. A product must be listed at `storeId` (404
   * PRODUCT_NOT_FOUND), a deal offered there (404 DEAL_NOT_AT_STORE); a group opens at its own store
   * whatever `storeId` says. A product or deal without a store is 400 STORE_REQUIRED.
   */
  async describe(targetType: ShareTargetType, targetId: string, storeId?: string | null): Promise<ShareTarget> {
    if (targetType === 'group') {
      const g = await this.p.group(targetId);
      const deal = await this.p.deal(g.dealId);
      const [product, store] = await Promise.all([this.p.product(g.storeId, g.productId), this.p.store(g.storeId)]);
      return {
        targetType,
        targetId,
        dealId: deal._id,
        storeId: g.storeId,
        store,
        product,
        priceCents: deal.groupPriceCents,
        priceLabel: '拼团价',
        shelfPriceCents: product.priceCents,
        badge: g.seatsLeft > 0 ? `还差${g.seatsLeft}人` : `${g.size}人团`,
        title: `【还差${g.seatsLeft}人】${g.size}人团 ${yuan(deal.groupPriceCents)} ${product.title}`,
      };
    }
    if (!storeId) throw new ValidationError('A product or deal is shared at a store: name storeId', { targetType, targetId }, 'STORE_REQUIRED');
    if (targetType === 'deal') {
      const deal = await this.p.deal(targetId);
      if (!deal.storeIds.includes(storeId)) throw new NotFoundError('Deal at this store', 'DEAL_NOT_AT_STORE', { dealId: targetId, storeId });
      const [product, store] = await Promise.all([this.p.product(storeId, deal.productId), this.p.store(storeId)]);
      return {
        targetType,
        targetId,
        dealId: deal._id,
        storeId,
        store,
        product,
        priceCents: deal.groupPriceCents,
        priceLabel: '拼团价',
        shelfPriceCents: product.priceCents,
        badge: `${deal.groupSize}人团`,
        title: `【${deal.groupSize}人团】${yuan(deal.groupPriceCents)} ${product.title}，一起拼更便宜`,
      };
    }
    const [product, store] = await Promise.all([this.p.product(storeId, targetId), this.p.store(storeId)]);
    return {
      targetType,
      targetId,
      dealId: null,
      storeId,
      store,
      product,
      priceCents: product.priceCents,
      priceLabel: '门店价',
      shelfPriceCents: product.priceCents,
      badge: null,
      title: `${product.title} ${yuan(product.priceCents)}${store ? `｜${store.name}` : ''}`,
    };
  }
}
