import QRCode from 'qrcode';
import type { BulkStockBody, DealDto, GroupStatsResponse, InventoryDto, SalesStatsResponse, StorePatchBody } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { AppError, NotFoundError } from '../../common/errors.js';
import { formatStoreTime, startOfStoreDay } from '../../common/time.js';
import type { Models } from '../../core.js';

type Reads = Pick<Models, 'Product' | 'Inventory' | 'Deal' | 'Group' | 'Store' | 'ClerkInvite' | 'Order'>;

export interface AdminConsoleDeps {
  /** Read-only views of other modules' collections (the console's lists and charts); writes go through their services. */
  reads: Reads;
  clock: Clock;
  adjustStock(storeId: string, productId: string, delta: number): Promise<InventoryDto>;
  deal(dealId: string): Promise<DealDto>;
  stopDeal(dealId: string): Promise<DealDto>;
  patchStore(storeId: string, patch: StorePatchBody): Promise<void>;
}

const DAY_MS = 24 * 3600_000;
const NOT_SALES: ReadonlySet<string> = new Set(['pending_payment', 'cancelled', 'refunding', 'refunded']);

/** The operator console: lists for the admin screens, bulk stock edits, and the numbers behind the charts. */
export class AdminConsole {
  constructor(private readonly d: AdminConsoleDeps) {}

  private get r() {
    return this.d.reads;
  }

  /** Every product with this store's price, stock and listing (null when not sold there). */
  async inventory(storeId: string) {
    if (!(await this.r.Store.exists({ _id: storeId }))) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId });
    const [products, rows] = await Promise.all([
      this.r.Product.find({}, { title: 1, unit: 1, image: 1, basePriceCents: 1, categoryId: 1, seq: 1 }).sort({ seq: 1 }).lean(),
      this.r.Inventory.find({ storeId }, { productId: 1, priceCents: 1, memberPriceCents: 1, stock: 1, active: 1 }).lean(),
    ]);
    const byProduct = new Map(rows.map((x) => [x.productId, x]));
    return {
      storeId,
      items: products.map((p) => {
        const inv = byProduct.get(p._id);
        return {
          productId: p._id,
          title: p.title,
          unit: p.unit,
          categoryId: p.categoryId,
          basePriceCents: p.basePriceCents,
          inventory: inv ? { priceCents: inv.priceCents, memberPriceCents: inv.memberPriceCents, stock: inv.stock, active: inv.active } : null,
        };
      }),
    };
  }

  /**
   * A bulk stock edit: each line one guarded `$inc` of its delta (a sale meanwhile is kept); each line
   * answers its new stock or the code it was refused with (the others still apply).
   */
  async bulkStock(storeId: string, body: BulkStockBody) {
    const results = [];
    for (const e of body.edits) {
      try {
        const inv = await this.d.adjustStock(storeId, e.productId, e.stockDelta);
        results.push({ productId: e.productId, ok: true as const, stock: inv.stock });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        results.push({ productId: e.productId, ok: false as const, code: err.code });
      }
    }
    return { storeId, results };
  }

  /** Every deal, newest first, as the shop shows it. */
  async deals(): Promise<{ deals: DealDto[] }> {
    const ids = (await this.r.Deal.find({}, { _id: 1 }).sort({ startAt: -1 }).lean()).map((x) => x._id);
    return { deals: await Promise.all(ids.map((id) => this.d.deal(id))) };
  }

  stopDeal(dealId: string) {
    return this.d.stopDeal(dealId);
  }

  /** A deal's groups, newest first (status, store, seats left). */
  async dealGroups(dealId: string) {
    await this.d.deal(dealId);
    const rows = await this.r.Group.find({ dealId }, { storeId: 1, status: 1, size: 1, seatsLeft: 1, expiresAt: 1, createdAt: 1 }).sort({ createdAt: -1 }).limit(100).lean();
    return {
      groups: rows.map((g) => ({
        id: g._id,
        storeId: g.storeId,
        status: g.status,
        size: g.size,
        seatsLeft: g.seatsLeft,
        expiresAt: g.expiresAt ? new Date(g.expiresAt).toISOString() : null,
        createdAt: g.createdAt ? new Date(g.createdAt).toISOString() : null,
      })),
    };
  }

  async stores() {
    const rows = await this.r.Store.find({}).sort({ _id: 1 }).lean();
    return { stores: rows.map((s) => ({ id: s._id, name: s.name, city: s.city, district: s.district, address: s.address, phone: s.phone, openHours: s.openHours, active: s.active })) };
  }

  async patchStore(storeId: string, patch: StorePatchBody) {
    if (!(await this.r.Store.exists({ _id: storeId }))) throw new NotFoundError('Store', 'STORE_NOT_FOUND', { storeId });
    await this.d.patchStore(storeId, patch);
    return (await this.stores()).stores.find((s) => s.id === storeId)!;
  }

  /** Invites of a store (or all), newest first, with a QR of the code while it can still be redeemed. */
  async invites(storeId: string | undefined) {
    const now = this.d.clock.now();
    const rows = await this.r.ClerkInvite.find(storeId ? { storeId } : {}).sort({ createdAt: -1 }).limit(50).lean();
    return {
      invites: await Promise.all(
        rows.map(async (i) => {
          const open = !i.redeemedBy && i.expiresAt > now;
          return {
            code: i._id,
            storeId: i.storeId,
            expiresAt: i.expiresAt.toISOString(),
            redeemedBy: i.redeemedBy ?? null,
            redeemedAt: i.redeemedAt ? i.redeemedAt.toISOString() : null,
            state: i.redeemedBy ? 'redeemed' : open ? 'open' : 'expired',
            qr: open ? await QRCode.toDataURL(i._id, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) : null,
          };
        }),
      ),
    };
  }

  /** Paid orders and sales per store per store-day over the last `days` days (refunded ones left out). */
  async sales(days: number): Promise<SalesStatsResponse> {
    const now = this.d.clock.now();
    const first = startOfStoreDay(new Date(startOfStoreDay(now).getTime() - (days - 1) * DAY_MS + 12 * 3600_000));
    const dayList = Array.from({ length: days }, (_, i) => formatStoreTime(new Date(first.getTime() + i * DAY_MS + 12 * 3600_000), 'YYYY-MM-DD'));
    const [orders, stores] = await Promise.all([
      this.r.Order.find({ 'payment.paidAt': { $gte: first } }, { storeId: 1, status: 1, amountCents: 1, 'payment.paidAt': 1 }).lean(),
      this.r.Store.find({}, { name: 1 }).sort({ _id: 1 }).lean(),
    ]);
    const cell = new Map<string, { orders: number; salesCents: number }>();
    for (const o of orders) {
      if (NOT_SALES.has(o.status) || !o.payment?.paidAt) continue;
      const key = `${o.storeId}|${formatStoreTime(new Date(o.payment.paidAt), 'YYYY-MM-DD')}`;
      const c = cell.get(key) ?? { orders: 0, salesCents: 0 };
      c.orders++;
      c.salesCents += o.amountCents;
      cell.set(key, c);
    }
    const rows = [];
    let totalOrders = 0;
    let totalSalesCents = 0;
    for (const c of cell.values()) {
      totalOrders += c.orders;
      totalSalesCents += c.salesCents;
    }
    for (const s of stores) {
      for (const day of dayList) {
        const c = cell.get(`${s._id}|${day}`);
        rows.push({ storeId: s._id, storeName: s.name, day, orders: c?.orders ?? 0, salesCents: c?.salesCents ?? 0 });
      }
    }
    return { days: dayList, rows: rows.filter((x) => x.orders > 0 || stores.length <= 5), totalOrders, totalSalesCents };
  }

  /** Groups per deal by outcome, and the share of decided groups that succeeded. */
  async groups(): Promise<GroupStatsResponse> {
    const [groups, deals] = await Promise.all([this.r.Group.find({}, { dealId: 1, status: 1 }).lean(), this.r.Deal.find({}, { title: 1 }).lean()]);
    const per = new Map(deals.map((x) => [x._id, { dealId: x._id, title: x.title, succeeded: 0, failed: 0, open: 0, successRate: 0 }]));
    for (const g of groups) {
      const row = per.get(g.dealId);
      if (!row) continue;
      if (g.status === 'succeeded') row.succeeded++;
      else if (g.status === 'failed') row.failed++;
      else if (g.status === 'open' || g.status === 'pending') row.open++;
    }
    const out = [...per.values()].map((x) => ({ ...x, successRate: x.succeeded + x.failed ? Math.round((x.succeeded / (x.succeeded + x.failed)) * 1000) / 1000 : 0 }));
    return { deals: out };
  }
}
