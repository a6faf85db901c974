import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Clock } from './common/clock.js';
import { DomainEvents } from './common/events.js';
import type { Logger } from './common/logger.js';
import { NotFoundError } from './common/errors.js';
import { AfterSaleService } from './modules/aftersale/aftersale.service.js';
import { CheckoutService } from './modules/checkout/checkout.service.js';
import { catalogModels } from './modules/catalog/catalog.model.js';
import { createCatalogService } from './modules/catalog/catalog.service.js';
import { ShelfStock } from './modules/catalog/stock.js';
import { ClerkService } from './modules/clerk/clerk.service.js';
import { DealService } from './modules/groupbuy/deal.service.js';
import { GroupJoin } from './modules/groupbuy/group.join.js';
import { GroupFailed, GroupLifecycle, GroupSucceeded } from './modules/groupbuy/group.lifecycle.js';
import { groupbuyModels } from './modules/groupbuy/group.model.js';
import { GroupQueries } from './modules/groupbuy/group.queries.js';
import { AccessCheck } from './modules/identity/access-check.js';
import { GroupSweep } from './modules/groupbuy/group.sweep.js';
import { createHomeService } from './modules/home/home.service.js';
import { createHttpHostClient, type HostClient } from './modules/identity/host-client.js';
import { identityModels } from './modules/identity/identity.model.js';
import { IdentityService } from './modules/identity/identity.service.js';
import { InviteService } from './modules/identity/invite.service.js';
import { memberModels } from './modules/member/member.model.js';
import { MemberService, type MemberSummary } from './modules/member/member.service.js';
import { createHostMessageSender, type MessageSender } from './modules/messages/message-sender.js';
import { messageModels } from './modules/messages/message.model.js';
import { createMessagesService } from './modules/messages/messages.service.js';
import { OrderAwaitingPickup, OrderCancelled, OrderPaid, OrderPickedUp, OrderRefunded } from './modules/order/order.events.js';
import { CouponService } from './modules/promotions/coupon.service.js';
import { OfferService } from './modules/promotions/offer.service.js';
import { PointsService } from './modules/promotions/points.service.js';
import { promotionModels } from './modules/promotions/promotions.model.js';
import { PromotionsService } from './modules/promotions/promotions.service.js';
import { orderModels } from './modules/order/order.model.js';
import { OrderService } from './modules/order/order.service.js';
import { createPaymentProvider } from './modules/payment/mock-host.provider.js';
import { paymentModels } from './modules/payment/payment.model.js';
import type { PaymentProvider } from './modules/payment/payment.provider.js';
import { PaymentGateway, PaymentService } from './modules/payment/payment.service.js';
import { shareModels } from './modules/share/share.model.js';
import { ShareService } from './modules/share/share.service.js';
import { ShareTargets } from './modules/share/share.targets.js';
import { PosterService } from './modules/share/poster.service.js';
import { findPosterFonts } from './modules/share/poster.render.js';
import { createHostWxacode, type WxacodeClient } from './modules/share/wxacode.client.js';
import { PRODUCT_IMAGES_DIR, StaticFiles } from './modules/assets/static-files.js';
import { storeModels } from './modules/store/store.model.js';
import { createStoreService } from './modules/store/store.service.js';
import { SweepService } from './modules/sweep/sweep.service.js';
import { AdminConsole } from './modules/backoffice/admin-console.service.js';
import { BackofficeAudit } from './modules/backoffice/audit.js';
import { backofficeModels } from './modules/backoffice/audit.model.js';
import { ClerkDesk } from './modules/backoffice/clerk-desk.service.js';
import { maskPhone } from './modules/identity/avatar.js';
import { bumpVersion } from './common/versioned-cache.js';
import { STORES_SCOPE } from './modules/store/store.service.js';
import { voucherModels } from './modules/voucher/voucher.model.js';
import { VoucherService } from './modules/voucher/voucher.service.js';
import { AddressService } from './modules/delivery/address.service.js';
import { DeliveryDesk } from './modules/delivery/delivery.desk.js';
import { deliveryModels } from './modules/delivery/delivery.model.js';
import { DeliveryService } from './modules/delivery/delivery.service.js';

/**
 * The strategies and ports a caller (a test, a bench) may replace: the host's platforms, and the
 * few answers other modules give that tests force (slow member part, broken group counts).
 */
export interface Strategies {
  paymentProvider?: PaymentProvider;
  host?: HostClient;
  messageSender?: MessageSender;
  isMember?(userId: string): Promise<boolean>;
  memberSummary?(userId: string): Promise<MemberSummary>;
  openGroupCounts?(dealIds: string[], storeId: string): Promise<Record<string, number>>;
  /** The host's mini-program codes (posters on weapp). */
  wxacode?: WxacodeClient;
}

/** Every module's models bound to one connection (modules own theirs; this only collects them). */
export function bindAllModels(conn: Connection) {
  return {
    ...storeModels(conn),
    ...catalogModels(conn),
    ...identityModels(conn),
    ...memberModels(conn),
    ...orderModels(conn),
    ...paymentModels(conn),
    ...voucherModels(conn),
    ...groupbuyModels(conn),
    ...shareModels(conn),
    ...messageModels(conn),
    ...backofficeModels(conn),
    ...promotionModels(conn),
    ...deliveryModels(conn),
  };
}
export type Models = ReturnType<typeof bindAllModels>;

/**
 * The wiring diagram of the BFF: every service built with exactly the ports it needs, in dependency
 * order, and the domain events' reactions. Read top to bottom to follow a join or a payment from its
 * route to the database.
 */
export function compose(config: Config, conn: Connection, clock: Clock, logger: Logger, over: Strategies = {}) {
  const m = bindAllModels(conn);
  const events = new DomainEvents(logger);

  const store = createStoreService({ models: m, versions: m.CatalogMeta, stalenessMs: config.CATALOG_STALENESS_MS });
  const assertStore = async (storeId: string) => {
    await store.get(storeId);
  };
  const groupQueries = new GroupQueries({ models: m, clock, profiles: (ids) => identity.profiles(ids) });
  const catalog = createCatalogService({
    models: m,
    clock,
    stalenessMs: config.CATALOG_STALENESS_MS,
    stores: () => store.all(),
    openGroupCounts: over.openGroupCounts ?? ((ids, storeId) => groupQueries.openGroupCounts(ids, storeId)),
  });
  const stock = new ShelfStock({ models: m, clock });

  const host = over.host ?? createHttpHostClient(config, clock);
  const access = new AccessCheck(m, config.AUTH_CHECK_STALENESS_MS);
  const identity = new IdentityService({ models: m, clock, logger, config, host, access });
  const invites = new InviteService({ models: m, clock, identity, assertStore });
  // Promotions: coupons, offers, points spending (the order's quote and the member module call in).
  const coupons = new CouponService({ models: m, clock });
  const offers = new OfferService({ models: m, clock, audit: (a, act, t, d) => coupons.audit(a, act, t, d) });
  const points = new PointsService({ models: m, clock });
  const member = new MemberService({
    models: m,
    clock,
    secret: config.MEMBER_CODE_SECRET,
    host,
    assertStore,
    onPhoneBound: async (u) => {
      await coupons.grantNewMember(u);
    },
    wallet: points,
    logger,
    receiptCapCents: config.POINTS_RECEIPT_CAP_CENTS,
    smsLimits: { perPhonePerMin: config.SMS_PER_PHONE_PER_MIN, perPhonePerDay: config.SMS_PER_PHONE_PER_DAY, perIpPerHour: config.SMS_PER_IP_PER_HOUR, perAccountPerDay: config.SMS_PER_ACCOUNT_PER_DAY },
  });
  const promotions = new PromotionsService({ clock, logger, coupons, offers, points, memberSummary: over.memberSummary ?? ((u) => member.summary(u)) });

  // Delivery (同城配送): address book and the store's rules, used by orders to resolve a delivery choice.
  const addresses = new AddressService({ models: m, clock });
  const delivery = new DeliveryService({ clock, addresses, store: (id) => store.get(id) });

  const paymentProvider = over.paymentProvider ?? createPaymentProvider(config, clock);
  const gateway = new PaymentGateway({ provider: paymentProvider, openidOf: (u) => identity.openidOf(u) });
  const order = new OrderService({
    models: m,
    clock,
    logger,
    events,
    stock,
    catalogLine: (storeId, productId) => catalog.line(storeId, productId),
    assertStore,
    isMember: over.isMember ?? ((u) => member.isMember(u)),
    prepay: (o) => gateway.prepay(o),
    paymentParams: (p) => gateway.params(p),
    idSecret: config.JWT_SECRET,
    promotions,
    resolveDelivery: (u, storeId, choice) => delivery.resolve(u, storeId, choice),
    limits: { maxUnpaidOrders: config.MAX_UNPAID_ORDERS, maxOrderUnits: config.MAX_ORDER_UNITS },
  });
  const payment = new PaymentService({ models: m, clock, logger, events, provider: paymentProvider, orders: order });
  const voucher = new VoucherService({
    models: m,
    clock,
    orders: order,
    nicknameOf: async (u) => (u ? ((await identity.nicknames([u])).get(u) ?? null) : null),
    keys: config.VOUCHER_KEYS,
    activeKid: config.VOUCHER_ACTIVE_KID,
    ttlHours: config.VOUCHER_TTL_HOURS,
    badAttemptsPerMin: config.VOUCHER_BAD_ATTEMPTS_PER_MIN,
    auditSecret: config.JWT_SECRET,
    events,
  });

  const deals = new DealService({ models: m, clock, versions: m.CatalogMeta, productExists: (p) => catalog.productExists(p), countStores: (ids) => store.count(ids) });
  const share: ShareService = new ShareService({
    models: m,
    dealOf: async (type, id): Promise<string | null> => {
      if (type === 'group') return (await groupJoin.loadGroup(id)).dealId;
      if (type === 'deal') return (await deals.load(id))._id;
      if (!(await catalog.productExists(id))) throw new NotFoundError('Product', 'PRODUCT_NOT_FOUND', { productId: id });
      return null;
    },
    sharedOrders: (dealId) => order.sharedOn(dealId),
    nicknames: (ids) => identity.nicknames(ids),
    targets: new ShareTargets({
      product: async (storeId, productId) => (await catalog.view()).product(storeId, productId),
      deal: (id) => deals.load(id),
      group: (id) => groupJoin.loadGroup(id),
      store: (id) => store.find(id),
    }),
  });
  const groupJoin: GroupJoin = new GroupJoin({
    models: m,
    clock,
    deals,
    orders: order,
    attribute: (u, dealId, named): Promise<string | undefined> => share.attribute(u, dealId, named),
    hasEarlierOrders: (u) => order.hasOrders(u),
  });
  const groupLifecycle = new GroupLifecycle({ models: m, clock, logger, events, deals, orders: order, join: groupJoin, refund: (id, reason) => payment.refund(id, reason) });
  const groupSweep = new GroupSweep({ models: m, clock, logger, deals, orders: order, join: groupJoin, lifecycle: groupLifecycle });

  const aftersale = new AfterSaleService({
    clock,
    orders: order,
    refund: (id, reason, opts) => payment.refund(id, reason, opts),
    releaseSeat: (o) => groupLifecycle.releaseRefundedSeat(o),
    nicknames: (ids) => identity.nicknames(ids),
  });
  const clerk = new ClerkService({ clock, orders: order, vouchers: voucher, storeName: (id) => store.nameOf(id), nicknames: (ids) => identity.nicknames(ids) });
  const messageSender = over.messageSender ?? createHostMessageSender({ config, clock, hostToken: (o) => host.accessToken(o) });
  const messages = createMessagesService({
    m,
    clock,
    logger,
    config,
    conn,
    sender: messageSender,
    storeName: (id) => store.nameOf(id),
    openids: async (ids) => new Map((await identity.openids(ids)).map((u) => [u._id, u.openid])),
  });
  const deliveryDesk = new DeliveryDesk({
    models: m,
    clock,
    orders: order,
    clerksOf: async (storeId) => ((await m.User.find({ roles: 'clerk', clerkStoreIds: storeId }, { nickname: 1 }).sort({ _id: 1 }).lean()) as { _id: string; nickname: string }[]).map((u) => ({ id: u._id, nickname: u.nickname })),
    nicknames: (ids) => identity.nicknames(ids),
    storeName: (id) => store.nameOf(id),
    badAttemptsPerMin: config.VOUCHER_BAD_ATTEMPTS_PER_MIN,
  });
  const home = createHomeService({ catalog, logger, memberSummary: over.memberSummary ?? ((u) => member.summary(u)), budgetMs: config.HOME_PART_BUDGET_MS });
  const sweep = new SweepService({ clock, logger, orders: order, payments: payment, paymentModels: m, vouchers: voucher, stock, groups: groupSweep, smsQuotas: member, promotions, wallets: points });

  // Domain events: who reacts to what (each reaction idempotent; the sweep re-runs lost ones).
  events.on(OrderPaid, 'groupbuy: seat paid', (e) => groupLifecycle.onOrderPaid(e.order));
  events.on(OrderCancelled, 'groupbuy: seat freed', (e) => groupLifecycle.onOrderCancelled(e.order));
  events.on(GroupSucceeded, 'groupbuy: orders to fulfilment', (e) => groupLifecycle.settle(e.group));
  events.on(GroupFailed, 'groupbuy: refund members', (e) => groupLifecycle.unwind(e.group));
  events.on(OrderAwaitingPickup, 'voucher: issue', async (e) => {
    await voucher.issueFor(e.order);
  });

  // The back office (issue 15): the clerk desk, the operator console and their audit trail.
  const backofficeAudit = new BackofficeAudit({ models: m, clock, nicknames: (ids) => identity.nicknames(ids) });
  const clerkDesk = new ClerkDesk({
    clock,
    stores: async () => (await m.Store.find({}, { name: 1, openHours: 1 }).sort({ _id: 1 }).lean()).map((x) => ({ id: x._id, name: x.name, openHours: x.openHours })),
    preview: (c, code) => voucher.preview(c, code),
    customer: async (userId) => {
      const u = await m.User.findById(userId, { nickname: 1, phone: 1 }).lean();
      return { nickname: u?.nickname ?? '', phone: maskPhone(u?.phone) };
    },
    order: (id) => order.get(id),
    storeDay: async (storeId, since) => {
      const [orders, waiting] = await Promise.all([
        m.Order.find(
          { storeId, $or: [{ createdAt: { $gte: since } }, { 'payment.paidAt': { $gte: since } }, { pickedUpAt: { $gte: since } }, { 'refund.requestedAt': { $gte: since } }] },
          { status: 1, amountCents: 1, createdAt: 1, pickedUpAt: 1, 'payment.paidAt': 1, 'refund.requestedAt': 1 },
        ).lean(),
        m.Order.countDocuments({ storeId, status: 'awaiting_pickup' }),
      ]);
      return { orders: orders as never, waiting };
    },
    refund: (id, reason, opts) => payment.refund(id, reason, opts),
  });
  const adminConsole = new AdminConsole({
    reads: m,
    clock,
    adjustStock: (storeId, productId, delta) => catalog.adjustStock(storeId, productId, delta),
    deal: (id) => deals.get(id),
    stopDeal: (id) => deals.patch(id, { active: false }),
    patchStore: async (storeId, patch) => {
      await m.Store.updateOne({ _id: storeId }, { $set: patch });
      await bumpVersion(m.CatalogMeta, STORES_SCOPE);
    },
  });
  // Promotions: coupon and points back when an order ends, points earned when it is collected.
  events.on(OrderCancelled, 'promotions: coupon and points back', (e) => promotions.release(e.order, 'order cancelled'));
  events.on(OrderRefunded, 'promotions: coupon and points back', (e) => promotions.onRefunded(e.order));
  events.on(OrderPickedUp, 'promotions: points earned', (e) => promotions.onPickedUp(e.order));

  // Sharing (issue 13): the 朋友圈 poster of a share, drawn with the host's mini-program code when it has one.
  let pictures: StaticFiles | undefined;
  const posters = new PosterService({
    shares: share,
    wxacode: over.wxacode ?? createHostWxacode(config.MOCK_HOST_URL, (o) => host.accessToken(o)),
    imageDataUri: (image) => {
      if (image.startsWith('data:')) return image;
      const name = /^\/static\/products\/([^/]+)$/.exec(image)?.[1];
      pictures ??= StaticFiles.load(config.PRODUCT_IMAGES_DIR ?? PRODUCT_IMAGES_DIR, logger);
      const file = name ? pictures.get(name) : undefined;
      return file ? `data:${file.type};base64,${file.body.toString('base64')}` : null;
    },
    fonts: findPosterFonts(config.POSTER_FONT_FILES),
    logger,
  });
  // Checkout: previews priced by the order module's one quote (the one `create` charges with).
  const checkout = new CheckoutService({ orders: order, deals, join: groupJoin });

  const services = {
    backoffice: { audit: backofficeAudit, desk: clerkDesk, console: adminConsole },
    store,
    catalog,
    stock,
    home,
    host,
    identity,
    access,
    invites,
    member,
    paymentProvider,
    gateway,
    order,
    payment,
    voucher,
    share,
    posters,
    groupbuy: { deals, join: groupJoin, lifecycle: groupLifecycle, sweep: groupSweep, queries: groupQueries },
    clerk,
    aftersale,
    messageSender,
    messages,
    sweep,
    checkout,
    promotions: { coupons, offers, points, service: promotions },
    addresses,
    delivery,
    deliveryDesk,
  };
  return { m, events, services };
}
export type Services = ReturnType<typeof compose>['services'];
