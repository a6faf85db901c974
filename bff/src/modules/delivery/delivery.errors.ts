import { BusinessRuleError, ConflictError, NotFoundError, ValidationError } from '../../common/errors.js';

/** 404: no such address in the shopper's own book. */
export class AddressNotFoundError extends NotFoundError {
  constructor(addressId?: string) {
    super('Address', 'ADDRESS_NOT_FOUND', addressId ? { addressId } : undefined);
  }
}

/** 422: the store does not deliver (delivery switched off there). */
export class DeliveryNotOfferedError extends BusinessRuleError {
  constructor(storeId: string) {
    super('DELIVERY_NOT_OFFERED', 'This store does not deliver', { storeId });
  }
}

/** 422: the address is farther from the store than its delivery radius. */
export class DeliveryOutOfRangeError extends BusinessRuleError {
  constructor(details: { storeId: string; distanceM: number; radiusM: number }) {
    super('DELIVERY_OUT_OF_RANGE', `The address is ${details.distanceM} m from the store, beyond its ${details.radiusM} m delivery radius`, details);
  }
}

/** 422: 尽快送达 asked outside the store's delivery hours. */
export class DeliveryClosedError extends BusinessRuleError {
  constructor(details: { open: string; close: string; timeZone: string }) {
    super('DELIVERY_CLOSED', `The store delivers from ${details.open} to ${details.close} (${details.timeZone}); choose a slot`, details);
  }
}

/** 422: the asked slot is not one of the store's open slots (outside delivery hours, past, or malformed). */
export class DeliverySlotUnavailableError extends BusinessRuleError {
  constructor(details: { when: string; open: string; close: string; timeZone: string }) {
    super('DELIVERY_SLOT_UNAVAILABLE', 'That delivery slot is not available; choose one of the store\'s slots', details);
  }
}

/** 422: the goods come to less than the store's minimum for delivery. */
export class DeliveryMinimumError extends BusinessRuleError {
  constructor(details: { goodsCents: number; minOrderCents: number }) {
    super('DELIVERY_MINIMUM_NOT_MET', `Delivery needs at least ${details.minOrderCents} cents of goods`, details);
  }
}

/** 400: the code shown is not this order's delivery code. */
export class DeliveryCodeInvalidError extends ValidationError {
  constructor(orderId: string) {
    super('This is not the delivery code of this order', { orderId }, 'DELIVERY_CODE_INVALID');
  }
}

/** 409: the order was already confirmed delivered; says when and by whom. */
export class DeliveryAlreadyConfirmedError extends ConflictError {
  constructor(details: { orderId: string; deliveredAt: string | null; by: string | null }) {
    super('DELIVERY_ALREADY_CONFIRMED', 'This delivery was already confirmed', details);
  }
}

/** 409: the order is not in the state this step needs (e.g. confirming one not out for delivery). */
export class DeliveryStateError extends ConflictError {
  constructor(orderId: string, status: string, expected: string) {
    super('DELIVERY_STATE', `The order is ${status}, not ${expected}`, { orderId, status, expected });
  }
}

/** 409: the order has no courier yet, so it cannot go out. */
export class CourierNotAssignedError extends ConflictError {
  constructor(orderId: string) {
    super('COURIER_NOT_ASSIGNED', 'Assign a courier before the order goes out', { orderId });
  }
}

/** 422: the courier named is not a clerk of the order's store. */
export class NotACourierError extends BusinessRuleError {
  constructor(courierId: string, storeId: string) {
    super('NOT_A_COURIER', 'The courier must be a clerk of this store', { courierId, storeId });
  }
}

/** 422: the address book is full. */
export class AddressBookFullError extends BusinessRuleError {
  constructor(max: number) {
    super('ADDRESS_BOOK_FULL', `An address book holds at most ${max} addresses`, { max });
  }
}
