import type { DeliveryConfigDto, DeliveryOptionsDto, FulfilmentChoice, StoreDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { haversineM } from '../../common/geo.js';
import { formatStoreTime, storeDay } from '../../common/time.js';
import type { DeliveryRules } from '../pricing/delivery-fee.js';
import type { AddressService } from './address.service.js';
import { deliveryConfigOf } from './delivery.config.js';
import { DeliveryClosedError, DeliveryNotOfferedError, DeliveryOutOfRangeError, DeliverySlotUnavailableError } from './delivery.errors.js';
import { deliverySlots, etaMinutes, insideDeliveryHours } from './delivery.time.js';

/** What a delivery order stores in `order.fulfilment` (the code is added when the order is placed). */
export interface DeliveryFulfilment {
  type: 'delivery';
  addressId: string;
  address: { name: string; phone: string; address: string; detail: string; lat: number; lng: number };
  distanceM: number;
  when: { kind: 'asap' | 'slot'; start: Date; end: Date; label: string };
  courier: { id: string; nickname: string | null } | null;
  outAt: Date | null;
  deliveredAt: Date | null;
  code?: string;
  [extra: string]: unknown;
}

export interface DeliveryServiceDeps {
  clock: Clock;
  addresses: AddressService;
  /** One active store (the store module's index); 404 STORE_NOT_FOUND otherwise. */
  store(storeId: string): Promise<StoreDto>;
}

/**
 * The delivery rules of a store applied to a place and a time: whether the place is inside the
 * radius, when the store can deliver (尽快送达 with its ETA, or its slots in the store's zone), and the
 * fulfilment a delivery order carries. Reads only.
 */
export class DeliveryService {
  constructor(private readonly d: DeliveryServiceDeps) {}

  private async configOf(storeId: string): Promise<{ store: StoreDto; config: DeliveryConfigDto }> {
    const store = await this.d.store(storeId);
    return { store, config: store.delivery ?? deliveryConfigOf(null) };
  }

  /** `GET /delivery/options`: the store's rules, whether the place is served, ASAP and the open slots. */
  async options(storeId: string, place: { userId?: string; addressId?: string; lat?: number; lng?: number }): Promise<DeliveryOptionsDto> {
    const { store, config } = await this.configOf(storeId);
    let point: { lat: number; lng: number } | null = null;
    if (place.addressId && place.userId) point = await this.d.addresses.own(place.userId, place.addressId);
    else if (place.lat !== undefined && place.lng !== undefined) point = { lat: place.lat, lng: place.lng };
    const now = this.d.clock.now();
    const distanceM = point ? Math.round(haversineM(store.lat, store.lng, point.lat, point.lng)) : null;
    const eta = etaMinutes(distanceM ?? config.radiusM / 2, config);
    return {
      storeId,
      config,
      distanceM,
      served: distanceM === null ? null : config.enabled && distanceM <= config.radiusM,
      asap: { available: config.enabled && insideDeliveryHours(now, config), etaMinutes: eta, eta: new Date(now.getTime() + eta * 60_000).toISOString() },
      slots: config.enabled ? deliverySlots(now, config) : [],
      today: storeDay(now, config.timeZone),
    };
  }

  /**
   * The fulfilment of a delivery order and its fee rules, for a quote or an order: the address must
   * be the shopper's (404 ADDRESS_NOT_FOUND), inside the store's radius (422 DELIVERY_OUT_OF_RANGE),
   * ASAP only inside delivery hours (422 DELIVERY_CLOSED), a slot only one the store offers now
   * (422 DELIVERY_SLOT_UNAVAILABLE).
   */
  async resolve(userId: string, storeId: string, choice: Extract<FulfilmentChoice, { type: 'delivery' }>): Promise<{ fulfilment: DeliveryFulfilment; rules: DeliveryRules }> {
    const [{ store, config }, a] = await Promise.all([this.configOf(storeId), this.d.addresses.own(userId, choice.addressId)]);
    if (!config.enabled) throw new DeliveryNotOfferedError(storeId);
    const distanceM = Math.round(haversineM(store.lat, store.lng, a.lat, a.lng));
    if (distanceM > config.radiusM) throw new DeliveryOutOfRangeError({ storeId, distanceM, radiusM: config.radiusM });
    const now = this.d.clock.now();
    const hours = { open: config.hours.open, close: config.hours.close, timeZone: config.timeZone };
    let when: DeliveryFulfilment['when'];
    if (choice.when === 'asap') {
      if (!insideDeliveryHours(now, config)) throw new DeliveryClosedError(hours);
      const end = new Date(now.getTime() + etaMinutes(distanceM, config) * 60_000);
      when = { kind: 'asap', start: now, end, label: `尽快送达，预计 ${formatStoreTime(end, 'HH:mm', config.timeZone)} 前` };
    } else {
      const at = Date.parse(choice.when);
      const slot = deliverySlots(now, config).find((s) => Date.parse(s.start) === at);
      if (!slot) throw new DeliverySlotUnavailableError({ when: choice.when, ...hours });
      when = { kind: 'slot', start: new Date(slot.start), end: new Date(slot.end), label: slot.label };
    }
    return {
      fulfilment: {
        type: 'delivery',
        addressId: a._id,
        address: { name: a.name, phone: a.phone, address: a.address, detail: a.detail ?? '', lat: a.lat, lng: a.lng },
        distanceM,
        when,
        courier: null,
        outAt: null,
        deliveredAt: null,
      },
      rules: { feeCents: config.feeCents, freeOverCents: config.freeOverCents, minOrderCents: config.minOrderCents },
    };
  }
}
