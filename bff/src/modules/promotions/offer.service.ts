import { randomBytes } from 'node:crypto';
import type { CreateOfferBody, OfferDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import type { OfferRule } from '../pricing/pricing.js';
import type { PromotionModels } from './promotions.model.js';

interface OfferDoc {
  _id: string;
  title: string;
  kind: 'amount' | 'count';
  threshold: number;
  offCents: number;
  storeIds: string[] | null;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
}

const toDto = (o: OfferDoc): OfferDto => ({
  id: o._id,
  title: o.title,
  kind: o.kind,
  threshold: o.threshold,
  offCents: o.offCents,
  storeIds: o.storeIds?.length ? o.storeIds : null,
  startsAt: o.startsAt ? new Date(o.startsAt).toISOString() : null,
  endsAt: o.endsAt ? new Date(o.endsAt).toISOString() : null,
  active: o.active,
});

export const offerRule = (o: OfferDto): OfferRule => ({ id: o.id, title: o.title, kind: o.kind, threshold: o.threshold, offCents: o.offCents });

/** Automatic 满额/满件 offers: created and stopped by admins, applied by the pricing module. */
export class OfferService {
  constructor(private readonly d: { models: PromotionModels; clock: Clock; audit(actorId: string, action: string, targetId: string, details: Record<string, unknown>): Promise<void> }) {}

  async create(body: CreateOfferBody, actorId: string): Promise<OfferDto> {
    const doc: OfferDoc & { createdBy: string; createdAt: Date } = {
      _id: 'of_' + randomBytes(6).toString('hex'),
      title: body.title,
      kind: body.kind,
      threshold: body.threshold,
      offCents: body.offCents,
      storeIds: body.storeIds?.length ? body.storeIds : null,
      startsAt: body.startsAt ? new Date(body.startsAt) : null,
      endsAt: body.endsAt ? new Date(body.endsAt) : null,
      active: true,
      createdBy: actorId,
      createdAt: this.d.clock.now(),
    };
    await this.d.models.Offer.create(doc);
    await this.d.audit(actorId, 'offer.create', doc._id, { title: doc.title });
    return toDto(doc);
  }

  async stop(offerId: string, actorId: string): Promise<OfferDto> {
    await this.d.models.Offer.updateOne({ _id: offerId, active: true }, { $set: { active: false, stoppedAt: this.d.clock.now() } });
    const o = (await this.d.models.Offer.findById(offerId).lean()) as unknown as OfferDoc | null;
    if (!o) throw new NotFoundError('Offer', 'OFFER_NOT_FOUND', { offerId });
    await this.d.audit(actorId, 'offer.stop', offerId, {});
    return toDto(o);
  }

  async list(): Promise<OfferDto[]> {
    return ((await this.d.models.Offer.find({}).sort({ createdAt: -1 }).limit(200).lean()) as unknown as OfferDoc[]).map(toDto);
  }

  /** The offers running now at a store. */
  async activeAt(storeId: string): Promise<OfferDto[]> {
    const now = this.d.clock.now();
    const all = (await this.d.models.Offer.find({ active: true }).lean()) as unknown as OfferDoc[];
    return all
      .filter((o) => (!o.storeIds?.length || o.storeIds.includes(storeId)) && (!o.startsAt || new Date(o.startsAt) <= now) && (!o.endsAt || new Date(o.endsAt) > now))
      .map(toDto);
  }
}
