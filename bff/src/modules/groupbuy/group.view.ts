import { createHmac } from 'node:crypto';
import type { GroupViewDto, StoreDto } from '@linli/contracts';
import type { Clock } from '../../common/clock.js';
import { NotFoundError } from '../../common/errors.js';
import { toDealDto, type DealDoc } from './deal.service.js';
import type { GroupbuyModels } from './group.model.js';
import { seatKey, type GroupDoc } from './group.types.js';

type ViewerState = GroupViewDto['viewer']['state'];

function viewerState(g: GroupDoc, viewerId: string | undefined, now: Date): ViewerState {
  const seat = viewerId ? g.seats[seatKey(viewerId)] : undefined;
  if (seat?.leader) return 'leader';
  if (seat) return 'joined';
  if (g.status === 'succeeded') return 'succeeded';
  if (g.status === 'failed') return 'failed';
  if (g.status === 'pending') return 'not_open';
  if (g.expiresAt <= now) return 'expired';
  if (g.seatsLeft <= 0) return 'full';
  return 'can_join';
}

export interface GroupViewDeps {
  models: Pick<GroupbuyModels, 'Group' | 'Deal'>;
  clock: Clock;
  product(productId: string): Promise<{ _id: string; title: string; image: string; unit: string } | null>;
  profiles(userIds: string[]): Promise<{ _id: string; nickname: string; avatar: string }[]>;
  /** The viewer's own share of the group (created unconfirmed on first view). */
  shareOf(viewerId: string, groupId: string): Promise<{ _id: string } | null>;
  /** The store the group's members collect at (null when closed); absent, the view has no store. */
  store?(storeId: string): Promise<StoreDto | null>;
  /** Key of the opaque seat ids (see `seatIdOf`). */
  idKey: string;
}

/**
 * The id a seat shows: a keyed hash of (group, member), so it names the seat within its group and
 * nothing else. Without the key it cannot be turned back into a user id, nor linked to the same
 * person's seat in another group (issue 18, hole 3).
 */
export function seatIdOf(idKey: string, groupId: string, userId: string): string {
  return `st_${createHmac('sha256', idKey).update(`seat\n${groupId}\n${userId}`).digest('base64url').slice(0, 22)}`;
}

/**
 * The group page in one round trip: group, deal, product, seats with avatars (users loaded in one
 * `$in`), the viewer's own state, and a share card carrying the viewer's share id.
 */
export async function groupView(d: GroupViewDeps, groupId: string, viewerId?: string): Promise<GroupViewDto> {
  const g = (await d.models.Group.findById(groupId).lean()) as GroupDoc | null;
  if (!g || g.abandoned) throw new NotFoundError('Group', 'GROUP_NOT_FOUND', { groupId });
  const seats = Object.values(g.seats).sort((a, b) => Number(b.leader) - Number(a.leader) || new Date(a.joinedAt).getTime() - new Date(b.joinedAt).getTime());
  const [deal, product, users, share, store] = await Promise.all([
    d.models.Deal.findById(g.dealId).lean() as Promise<DealDoc | null>,
    d.product(g.productId),
    seats.length ? d.profiles(seats.map((s) => s.userId)) : Promise.resolve([]),
    viewerId ? d.shareOf(viewerId, g._id) : Promise.resolve(null),
    d.store ? d.store(g.storeId) : Promise.resolve(undefined),
  ]);
  if (!deal || !product) throw new NotFoundError('Deal', 'DEAL_NOT_FOUND', { dealId: g.dealId });
  const byId = new Map(users.map((u) => [u._id, u]));
  const now = d.clock.now();
  const mine = viewerId ? g.seats[seatKey(viewerId)] : undefined;
  const shareId = share?._id ?? null;
  return {
    group: {
      id: g._id,
      dealId: g.dealId,
      storeId: g.storeId,
      status: g.status,
      size: g.size,
      seatsLeft: g.seatsLeft,
      paidCount: g.paidCount,
      expiresAt: g.expiresAt.toISOString(),
    },
    deal: toDealDto(deal, now),
    product: {
      id: product._id,
      title: product.title,
      image: product.image,
      unit: product.unit,
      groupPriceCents: deal.groupPriceCents,
      soloPriceCents: deal.soloPriceCents,
    },
    seats: seats.map((s) => ({
      id: seatIdOf(d.idKey, g._id, s.userId),
      mine: viewerId !== undefined && s.userId === viewerId,
      nickname: byId.get(s.userId)?.nickname ?? '邻里用户',
      avatar: byId.get(s.userId)?.avatar ?? '',
      status: s.status,
      leader: s.leader,
      joinedAt: new Date(s.joinedAt).toISOString(),
    })),
    viewer: { state: viewerState(g, viewerId, now), orderId: mine?.orderId ?? null },
    share: {
      title: `【还差${g.seatsLeft}人】${deal.groupSize}人团 ¥${(deal.groupPriceCents / 100).toFixed(2)} ${product.title}`,
      path: `/pages/group/index?id=${g._id}${shareId ? `&shareId=${shareId}` : ''}&storeId=${g.storeId}`,
      imageUrl: product.image,
      shareId,
    },
    ...(store === undefined ? {} : { store }),
  };
}
