import { z } from 'zod';
import { Latitude, Longitude, StoreId } from './common.js';

/**
 * Delivery (同城配送) beside pickup: a store's delivery area and rules, the shopper's address book,
 * the delivery choice at checkout, and the clerk's delivery queue.
 */

/** `HH:mm` on the store's wall clock (24:00 allowed as an end). */
export const WallTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:mm');

/** A store's delivery rules (defaults: 3 km from the store, Asia/Shanghai). Money in cents. */
export const DeliveryConfigDto = z.object({
  enabled: z.boolean(),
  /** Straight-line distance from the store that is served, in metres. */
  radiusM: z.number().int().min(0),
  feeCents: z.number().int().min(0),
  /** Goods (after discounts) at or above this deliver free; null: never free. */
  freeOverCents: z.number().int().min(0).nullable(),
  /** Goods (after discounts) below this are not delivered. */
  minOrderCents: z.number().int().min(0),
  /** Delivery hours on the store's wall clock: first slot starts at `open`, last ends at `close`. */
  hours: z.object({ open: WallTime, close: WallTime }),
  slotMinutes: z.number().int().min(15).max(240),
  /** Minutes to pick and pack before a courier can leave. */
  prepMinutes: z.number().int().min(0).max(240),
  timeZone: z.string(),
});
export type DeliveryConfigDto = z.infer<typeof DeliveryConfigDto>;

/** A mainland mobile number (11 digits, 1[3-9]…). */
export const Phone = z.string().trim().regex(/^1[3-9]\d{9}$/, 'must be an 11-digit mobile number');

export const AddressBody = z
  .object({
    name: z.string().trim().min(1).max(20),
    phone: Phone,
    /** The street address as the map or the host's chooseAddress gives it. */
    address: z.string().trim().min(2).max(120),
    /** Building, floor, door (门牌号). */
    detail: z.string().trim().max(60).default(''),
    lat: Latitude,
    lng: Longitude,
    isDefault: z.boolean().default(false),
  })
  .strict();
export type AddressBody = z.infer<typeof AddressBody>;

export const AddressId = z.string().regex(/^a_[a-z2-7]{16}$/, 'not an address id');

export const AddressDto = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  detail: z.string(),
  lat: z.number(),
  lng: z.number(),
  isDefault: z.boolean(),
  updatedAt: z.string(),
});
export type AddressDto = z.infer<typeof AddressDto>;

export const AddressesResponse = z.object({ addresses: z.array(AddressDto) });
export type AddressesResponse = z.infer<typeof AddressesResponse>;

/** How the shopper wants an order: collected in store, or delivered as soon as possible or in a slot. */
export const FulfilmentChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pickup') }).strict(),
  z
    .object({
      type: z.literal('delivery'),
      addressId: AddressId,
      /** `asap` (尽快送达), or the ISO start of one of the store's slots. */
      when: z.union([z.literal('asap'), z.string().datetime({ offset: true })]),
    })
    .strict(),
]);
export type FulfilmentChoice = z.infer<typeof FulfilmentChoice>;

/** A delivery slot: [start, end) as ISO UTC, with its label on the store's wall clock. */
export const DeliverySlotDto = z.object({ start: z.string(), end: z.string(), label: z.string() });
export type DeliverySlotDto = z.infer<typeof DeliverySlotDto>;

/** `GET /delivery/options?storeId&addressId` (or `&lat&lng`): whether and when the store can deliver there. */
export const DeliveryOptionsQuery = z
  .object({ storeId: StoreId, addressId: AddressId.optional(), lat: Latitude.optional(), lng: Longitude.optional() })
  .strict();
export type DeliveryOptionsQuery = z.infer<typeof DeliveryOptionsQuery>;

export const DeliveryOptionsDto = z.object({
  storeId: z.string(),
  config: DeliveryConfigDto,
  /** Distance from the store when a place was given. */
  distanceM: z.number().int().nullable(),
  /** The place is inside the radius (null when no place was given). */
  served: z.boolean().nullable(),
  /** 尽快送达: possible now (inside delivery hours), and the promised arrival. */
  asap: z.object({ available: z.boolean(), etaMinutes: z.number().int(), eta: z.string() }),
  /** The slots still open today and tomorrow (store time). */
  slots: z.array(DeliverySlotDto),
  /** The store's calendar day now, `YYYY-MM-DD` in its zone. */
  today: z.string(),
});
export type DeliveryOptionsDto = z.infer<typeof DeliveryOptionsDto>;

/** What a delivery order carries (`order.fulfilment` for type `delivery`). */
export const DeliveryInfoDto = z.object({
  address: z.object({ name: z.string(), phone: z.string(), address: z.string(), detail: z.string(), lat: z.number(), lng: z.number() }),
  distanceM: z.number().int(),
  /** `asap` or `slot`; `start`/`end` the promised window (for asap, end is the ETA). */
  when: z.object({ kind: z.enum(['asap', 'slot']), start: z.string(), end: z.string(), label: z.string() }),
  /** The courier (a clerk of the store), once assigned. */
  courier: z.object({ id: z.string(), nickname: z.string().nullable() }).nullable(),
  outAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** The code the shopper shows the courier: only in the shopper's own view, only until delivered. */
  code: z.string().nullable().optional(),
});
export type DeliveryInfoDto = z.infer<typeof DeliveryInfoDto>;

/** `order.fulfilment` as the API shows it. */
export const FulfilmentDto = z.object({ type: z.enum(['pickup', 'delivery']), delivery: DeliveryInfoDto.optional() });
export type FulfilmentDto = z.infer<typeof FulfilmentDto>;

const DELIVERY_QUEUE_STATUSES = ['preparing', 'delivering', 'delivered'] as const;

/** `GET /clerk/deliveries?status&storeId`: the store's delivery orders in one status (default preparing). */
export const ClerkDeliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_QUEUE_STATUSES).default('preparing'),
    storeId: StoreId.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type ClerkDeliveriesQuery = z.infer<typeof ClerkDeliveriesQuery>;

export const ClerkDeliveryDto = z.object({
  id: z.string(),
  storeId: z.string(),
  status: z.string(),
  amountCents: z.number().int(),
  items: z.array(z.object({ productId: z.string(), title: z.string(), qty: z.number().int() })),
  customer: z.object({ id: z.string(), nickname: z.string().nullable() }),
  delivery: DeliveryInfoDto.omit({ code: true }),
  createdAt: z.string(),
  today: z.boolean(),
});
export type ClerkDeliveryDto = z.infer<typeof ClerkDeliveryDto>;

export const ClerkDeliveriesResponse = z.object({ deliveries: z.array(ClerkDeliveryDto) });
export type ClerkDeliveriesResponse = z.infer<typeof ClerkDeliveriesResponse>;

/** A clerk of the store who can take deliveries out. */
export const CourierDto = z.object({ id: z.string(), nickname: z.string() });
export const CouriersResponse = z.object({ couriers: z.array(CourierDto) });
export type CouriersResponse = z.infer<typeof CouriersResponse>;

export const AssignCourierBody = z.object({ courierId: z.string().min(1).max(64) }).strict();
export type AssignCourierBody = z.infer<typeof AssignCourierBody>;

/** The delivery code the shopper shows: 8 digits (spaces and dashes ignored). */
export const ConfirmDeliveryBody = z
  .object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .transform((s) => s.replace(/[\s-]/g, '')),
  })
  .strict();
export type ConfirmDeliveryBody = z.infer<typeof ConfirmDeliveryBody>;

export const DELIVERY_AUDIT_OUTCOMES = ['delivered', 'invalid_code', 'already_delivered', 'not_delivering', 'wrong_store', 'rate_limited', 'error'] as const;

/** The delivery part of `POST /orders/preview` with a delivery fulfilment: where, when, and the fee rules met. */
export const PreviewDeliveryDto = z.object({
  distanceM: z.number().int(),
  when: z.object({ kind: z.enum(['asap', 'slot']), start: z.string(), end: z.string(), label: z.string() }),
  feeCents: z.number().int().min(0),
  freeOverCents: z.number().int().min(0).nullable(),
  minOrderCents: z.number().int().min(0),
  /** Goods after discounts, which the threshold and the minimum are measured on. */
  goodsCents: z.number().int().min(0),
  minimumMet: z.boolean(),
});
export type PreviewDeliveryDto = z.infer<typeof PreviewDeliveryDto>;
