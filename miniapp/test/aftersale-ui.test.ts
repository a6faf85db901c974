import test from 'ava';
import type { OrderDto } from '@linli/contracts';
import { ApiError } from '../src/services/api-core.js';
import { canAskRefund, historyText, reasonText, refundSummary } from '../src/utils/order-history.js';
import { paramsFromHash } from '../src/utils/live-params.js';
import { mapUrl } from '../src/utils/map-url.js';
import { missingId, pageError } from '../src/utils/page-error.js';
import { pointsReasonText } from '../src/utils/points-reason.js';
import { isFar } from '../src/utils/store-distance.js';

const step = (from: string | null, to: string, actor: 'user' | 'clerk' | 'system' | 'host', reason = '') => historyText({ from, to, actor: { type: actor, id: 'x' }, reason });
const hasLatin = (s: string) => /[A-Za-z_]{3,}/.test(s);

test('every move of an order reads in Chinese, with the shopper\'s and the store\'s own words kept', (t) => {
  t.deepEqual(step('awaiting_pickup', 'refund_requested', 'user', '买错了'), { what: '申请退款，等待商家审核', why: '原因：买错了' });
  t.deepEqual(step('refund_requested', 'refunding', 'clerk', 'refund approved by the store'), { what: '商家同意退款', why: '' });
  t.deepEqual(step('refund_requested', 'awaiting_pickup', 'clerk', '已经备好货了'), { what: '商家拒绝退款，订单恢复', why: '商家说明：已经备好货了' });
  t.is(step('awaiting_pickup', 'refunding', 'system', 'voucher expired').what, '超过取货期限未取货，自动退款');
  t.is(step('grouping', 'refunding', 'user', '等不及').what, '申请退款（未成团，直接退款）');
  t.is(step('grouping', 'refunding', 'system', 'group failed').why, '原因：拼团未成功');
  t.is(step('refunding', 'refunded', 'host', 'refund completed').what, '已退款');
  t.is(step('pending_payment', 'cancelled', 'system', 'unpaid after the pay deadline').why, '超时未支付，订单已自动取消');
  // No system reason leaks in English.
  const system = ['order placed', 'payment received', 'group succeeded', 'voucher redeemed', 'refund completed', 'refund approved by the store', 'group seat no longer held', 'payment arrived after the order was cancelled'];
  for (const r of system) t.false(hasLatin(reasonText(r)), r);
  for (const [from, to] of [[null, 'pending_payment'], ['pending_payment', 'paid'], ['paid', 'awaiting_pickup'], ['grouping', 'awaiting_pickup'], ['awaiting_pickup', 'picked_up'], ['cancelled', 'refunding']] as const) {
    const s = step(from, to, 'system', 'payment received');
    t.false(hasLatin(s.what + s.why), `${from} → ${to}: ${JSON.stringify(s)}`);
  }
});

test('the refund card says where a refund stands, in Chinese', (t) => {
  const o = (refund: OrderDto['refund'], status: OrderDto['status'] = 'refund_requested') => ({ status, refund });
  t.regex(refundSummary(o({ status: 'review', requestedAt: 'x', completedAt: null, reason: '不想要了' }))!.title, /退款审核中/);
  t.regex(refundSummary(o({ status: 'review', requestedAt: 'x', completedAt: null, reason: '不想要了' }))!.note, /不想要了/);
  const refused = refundSummary(o({ status: 'refused', requestedAt: null, completedAt: null, reason: '', refusedReason: '已备货' }, 'awaiting_pickup'))!;
  t.regex(refused.title, /拒绝/);
  t.regex(refused.note, /已备货/);
  t.regex(refundSummary(o({ status: 'requested', requestedAt: 'x', completedAt: null, reason: 'voucher expired' }, 'refunding'))!.note, /超过取货期限未取货/);
  t.regex(refundSummary(o({ status: 'succeeded', requestedAt: 'x', completedAt: 'y', reason: 'group failed' }, 'refunded'))!.title, /已到账/);
  t.is(refundSummary(o(null, 'awaiting_pickup')), null);
  t.true(canAskRefund({ status: 'awaiting_pickup' }));
  t.true(canAskRefund({ status: 'grouping' }));
  t.false(canAskRefund({ status: 'picked_up' }));
  t.false(canAskRefund({ status: 'pending_payment' }));
  t.false(canAskRefund({ status: 'refund_requested' }));
});

test('a missing thing or a malformed id is a dead link with a way home; other failures can be retried', (t) => {
  const gone = pageError(new ApiError(404, 'GROUP_NOT_FOUND', '这个团不存在'), '这个团');
  t.true(gone.notFound);
  t.regex(gone.text, /这个团不存在/);
  t.true(pageError(new ApiError(400, 'VALIDATION_FAILED', '输入有误'), '这个团').notFound);
  const net = pageError(new ApiError(0, 'NETWORK_ERROR', '网络不给力'), '这个团');
  t.false(net.notFound);
  t.is(net.text, '网络不给力');
  t.true(missingId('这个订单').notFound);
});

test('the group page reads the query of the link on screen, not the one it was first opened with', (t) => {
  t.deepEqual(paramsFromHash('#/pages/group/index?id=g_B&shareId=sh_2', '/pages/group/index'), { id: 'g_B', shareId: 'sh_2' });
  t.deepEqual(paramsFromHash('#/pages/group/index', 'pages/group/index'), {});
  t.deepEqual(paramsFromHash('#/pages/order-detail/index?id=o_x%2Fy', '/pages/order-detail/index'), { id: 'o_x/y' });
  t.is(paramsFromHash('#/pages/home/index?id=g_B', '/pages/group/index'), null, 'another page');
  t.deepEqual(paramsFromHash('#/pages/group/index?id=%E0%A4%A', '/pages/group/index'), { id: '%E0%A4%A' }, 'a bad escape is kept as it is');
});

test('points history reads in Chinese without internal codes', (t) => {
  t.deepEqual(pointsReasonText('purchase', 'S001:R-E2E-0001'), { title: '门店消费积分', detail: '小票号 R-E2E-0001' });
  t.deepEqual(pointsReasonText('opening', '8800000002'), { title: '原会员卡积分转入', detail: '会员卡 8800000002' });
  t.is(pointsReasonText('something_new', 'x:y').title, '积分变动');
  for (const r of ['purchase', 'opening', 'order', 'refund', 'bind_bonus', 'adjust', 'unknown']) t.false(hasLatin(pointsReasonText(r, 'S001:R1').title), r);
  t.false(pointsReasonText('purchase', 'S001:R1').detail.includes('S001'), 'the store code is not shown');
});

test('a store is far beyond 5 km; the h5 map link carries the store', (t) => {
  t.false(isFar(5000));
  t.true(isFar(5001));
  t.false(isFar(undefined));
  const url = new URL(mapUrl({ lat: 31.2317, lng: 121.4846, name: '南京东路店', address: '南京东路 100 号' }));
  t.is(url.origin, 'https://uri.amap.com');
  t.is(url.searchParams.get('position'), '121.4846,31.2317');
  t.is(url.searchParams.get('name'), '南京东路店 南京东路 100 号');
});
