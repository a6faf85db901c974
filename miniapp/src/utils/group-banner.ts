import type { GroupViewDto } from '@linli/contracts';

export type Banner = { tone: 'ok' | 'warn' | 'bad' | 'info'; text: string; testid: string };

/** What the page says about the group, from the group's status and the viewer's part in it (the BFF marks the viewer's own seat `mine`). */
export function bannerOf(v: GroupViewDto, expiredOnDevice: boolean): Banner {
  const member = v.viewer.state === 'leader' || v.viewer.state === 'joined';
  const mine = member ? v.seats.find((s) => s.mine && s.status === 'held') : undefined;
  switch (v.group.status) {
    case 'succeeded':
      return { tone: 'ok', text: member ? '拼团成功！凭提货码到店取货' : '这个团已经拼成了', testid: 'group-succeeded' };
    case 'failed':
      return { tone: 'bad', text: member ? '拼团未成功，已原路退款' : '这个团没有拼成', testid: 'group-failed' };
    case 'pending':
      return { tone: 'info', text: member ? '支付后拼团正式开始' : '团长还没有付款，暂不能加入', testid: 'group-pending' };
    default:
      if (expiredOnDevice || v.viewer.state === 'expired') return { tone: 'warn', text: '这个团已经过期了', testid: 'group-expired' };
      if (v.viewer.state === 'full' || v.group.seatsLeft <= 0) {
        return member ? { tone: 'info', text: '人已满，等待大家付款', testid: 'group-full' } : { tone: 'warn', text: '这个团已经满员了', testid: 'group-full' };
      }
      if (mine) return { tone: 'info', text: '你的座位已保留，请尽快付款', testid: 'group-held' };
      return { tone: 'info', text: `还差 ${v.group.seatsLeft} 人成团`, testid: 'group-open' };
  }
}
