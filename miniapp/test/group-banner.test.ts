import test from 'ava';
import type { GroupViewDto } from '@linli/contracts';
import { bannerOf } from '../src/utils/group-banner.js';

type State = GroupViewDto['viewer']['state'];
/** `heldByViewer`: the viewer holds an unpaid seat (the BFF marks a viewer's own seat `mine`). */
function view(status: GroupViewDto['group']['status'], state: State, opts: { seatsLeft?: number; heldByViewer?: boolean } = {}): GroupViewDto {
  return {
    group: { id: 'g_x', dealId: 'D001', storeId: 'S001', status, size: 2, seatsLeft: opts.seatsLeft ?? 1, paidCount: 1, expiresAt: '2026-11-23T00:00:00.000Z' },
    seats: [
      { id: 'st_a', mine: state === 'leader', nickname: 'A', avatar: '', status: 'paid', leader: true, joinedAt: '' },
      ...(opts.heldByViewer ? [{ id: 'st_b', mine: true, nickname: 'B', avatar: '', status: 'held' as const, leader: false, joinedAt: '' }] : []),
    ],
    viewer: { state, orderId: state === 'leader' || state === 'joined' ? 'o_x' : null },
  } as unknown as GroupViewDto;
}

test('members and visitors read the final states differently', (t) => {
  t.is(bannerOf(view('succeeded', 'leader'), false).testid, 'group-succeeded');
  t.regex(bannerOf(view('succeeded', 'leader'), false).text, /凭提货码/);
  t.regex(bannerOf(view('succeeded', 'succeeded'), false).text, /已经拼成/);
  t.regex(bannerOf(view('failed', 'joined'), false).text, /已原路退款/);
  t.is(bannerOf(view('failed', 'failed'), false).tone, 'bad');
});

test('an open group is expired by the server state or by the device countdown reaching zero', (t) => {
  t.is(bannerOf(view('open', 'expired'), false).testid, 'group-expired');
  t.is(bannerOf(view('open', 'can_join'), true).testid, 'group-expired');
  t.is(bannerOf(view('open', 'can_join'), false).testid, 'group-open');
  t.regex(bannerOf(view('open', 'can_join', { seatsLeft: 3 }), false).text, /还差 3 人/);
});

test('a full group tells a visitor it is full and a member to wait for payments', (t) => {
  t.regex(bannerOf(view('open', 'full', { seatsLeft: 0 }), false).text, /满员/);
  t.regex(bannerOf(view('open', 'leader', { seatsLeft: 0 }), false).text, /等待大家付款/);
});

test('a member whose seat is still held is asked to pay; a pending group cannot be joined yet', (t) => {
  t.is(bannerOf(view('open', 'joined', { heldByViewer: true }), false).testid, 'group-held');
  t.is(bannerOf(view('pending', 'not_open'), false).testid, 'group-pending');
  t.regex(bannerOf(view('pending', 'not_open'), false).text, /暂不能加入/);
});
