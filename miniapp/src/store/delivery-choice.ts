import { createTinyStore, useTinyStore } from './tiny-store';

/**
 * How the shopper wants the order on the confirm page: 到店自提, or 送货上门 to an address of the
 * book, 尽快送达 or in a slot (`when` is `asap` or the slot's ISO start). The address page sets
 * `addressId` when one is picked there.
 */
export interface DeliveryChoice {
  mode: 'pickup' | 'delivery';
  addressId: string | null;
  when: string;
}

export const deliveryChoice = createTinyStore<DeliveryChoice>({ mode: 'pickup', addressId: null, when: 'asap' });
export const useDeliveryChoice = () => useTinyStore(deliveryChoice);
