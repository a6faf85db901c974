import type { GroupViewDto } from '@linli/contracts';
import type { Core } from '../../core.js';
import { NotFoundError } from '../../common/errors.js';
import { toDealDto, type DealDoc } from './deal.service.js';
import { seatKey, type GroupDoc } from './group.service.js';

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

/**
 * The group page in one round trip: group, deal, product, seats with avatars (users loaded in one
 * `$in`), the viewer's own state, and a share card carrying the viewer's share id.
 */
export async function groupView(core: Core, groupId: string, viewerId?: string): Promise<GroupViewDto> {
  const { m } = core;
  const g = (await m.Group.findById(groupId).lean()) as GroupDoc | null;
  if (!g) throw new NotFoundError('Group', 'GROUP_NOT_FOUND', { groupId });
  const seats = Object.values(g.seats).sort((a, b) => Number(b.leader) - Number(a.leader) || a.joinedAt.getTime() - b.joinedAt.getTime());
  const [deal, product, users, share] = await Promise.all([
    m.Deal.findById(g.dealId).lean() as Promise<DealDoc | null>,
    m.Product.findById(g.productId).lean(),
    seats.length ? m.User.find({ _id: { $in: seats.map((s) => s.userId) } }, { nickname: 1, avatar: 1 }).lean() : Promise.resolve([]),
    viewerId ? core.services.share.getOrCreate(viewerId, 'group', g._id, false) : Promise.resolve(null),
  ]);
  if (!deal || !product) throw new NotFoundError('Deal', 'DEAL_NOT_FOUND', { dealId: g.dealId });
  const byId = new Map(users.map((u) => [u._id, u]));
  const now = core.clock.now();
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
      userId: s.userId,
      nickname: byId.get(s.userId)?.nickname ?? '邻里用户',
      avatar: byId.get(s.userId)?.avatar ?? '',
      status: s.status,
      leader: s.leader,
      joinedAt: s.joinedAt.toISOString(),
    })),
    viewer: { state: viewerState(g, viewerId, now), orderId: mine?.orderId ?? null },
    share: {
      title: `【还差${g.seatsLeft}人】${deal.groupSize}人团 ¥${(deal.groupPriceCents / 100).toFixed(2)} ${product.title}`,
      path: `/pages/group/index?id=${g._id}${shareId ? `&shareId=${shareId}` : ''}`,
      imageUrl: product.image,
      shareId,
    },
  };
}
