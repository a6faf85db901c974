import { randomBytes } from 'node:crypto';
import type { AddressBody, AddressDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { AddressBookFullError, AddressNotFoundError } from './delivery.errors.js';
import type { DeliveryModels } from './delivery.model.js';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
export const MAX_ADDRESSES = 20;

/** `a_` + 16 random base32 characters: not guessable, not enumerable. */
export function newAddressId(): string {
  const b = randomBytes(16);
  let s = 'a_';
  for (let i = 0; i < 16; i++) s += B32[b[i] & 31];
  return s;
}

export interface AddressDoc {
  _id: string;
  userId: string;
  name: string;
  phone: string;
  address: string;
  detail: string;
  lat: number;
  lng: number;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const toAddressDto = (a: AddressDoc): AddressDto => ({
  id: a._id,
  name: a.name,
  phone: a.phone,
  address: a.address,
  detail: a.detail ?? '',
  lat: a.lat,
  lng: a.lng,
  isDefault: !!a.isDefault,
  updatedAt: new Date(a.updatedAt).toISOString(),
});

/**
 * The shopper's address book: each address belongs to one user, and someone else's address is a 404
 * like a missing one. At most one is the default (setting one clears the others).
 */
export class AddressService {
  constructor(private readonly d: { models: DeliveryModels; clock: Clock }) {}

  private get A() {
    return this.d.models.Address;
  }

  /** The user's addresses, the default first, then the most recently changed. */
  async list(userId: string): Promise<AddressDoc[]> {
    const rows = (await this.A.find({ userId }).sort({ updatedAt: -1 }).lean()) as AddressDoc[];
    return rows.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  }

  /** One of the user's own addresses; 404 ADDRESS_NOT_FOUND otherwise. */
  async own(userId: string, id: string): Promise<AddressDoc> {
    const a = (await this.A.findById(id).lean()) as AddressDoc | null;
    if (!a || a.userId !== userId) throw new AddressNotFoundError(id);
    return a;
  }

  /** Adds an address (the first one becomes the default); 422 ADDRESS_BOOK_FULL past MAX_ADDRESSES. */
  async add(userId: string, body: AddressBody): Promise<AddressDoc> {
    const count = await this.A.countDocuments({ userId });
    if (count >= MAX_ADDRESSES) throw new AddressBookFullError(MAX_ADDRESSES);
    const now = this.d.clock.now();
    const doc: AddressDoc = { _id: newAddressId(), userId, ...body, isDefault: body.isDefault || count === 0, createdAt: now, updatedAt: now };
    await new this.A(doc).validate();
    if (doc.isDefault) await this.A.updateMany({ userId, isDefault: true }, { $set: { isDefault: false } });
    await this.A.collection.insertOne(doc as never);
    return doc;
  }

  /** Replaces one of the user's addresses. */
  async replace(userId: string, id: string, body: AddressBody): Promise<AddressDoc> {
    const before = await this.own(userId, id);
    const now = this.d.clock.now();
    const doc: AddressDoc = { ...before, ...body, isDefault: body.isDefault || before.isDefault, updatedAt: now };
    await new this.A(doc).validate();
    if (body.isDefault && !before.isDefault) await this.A.updateMany({ userId, isDefault: true }, { $set: { isDefault: false } });
    await this.A.updateOne({ _id: id, userId }, { $set: { name: doc.name, phone: doc.phone, address: doc.address, detail: doc.detail, lat: doc.lat, lng: doc.lng, isDefault: doc.isDefault, updatedAt: now } });
    return doc;
  }

  /** Removes one of the user's addresses (orders keep their own copy of it). */
  async remove(userId: string, id: string): Promise<void> {
    await this.own(userId, id);
    await this.A.deleteOne({ _id: id, userId });
  }
}
