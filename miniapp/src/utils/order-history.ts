import type { OrderDto } from '@linli/contracts';
import { statusText } from './order-status';

type HistoryEntry = OrderDto['history'][number];

/** What the system writes as a move's reason, as a customer reads it. Free text (a shopper's or a clerk's) is shown as typed. */
const SYSTEM_REASONS: Record<string, string> = {
  'order placed': '',
  'payment received': '',
  'cancelled by customer': '你取消了订单',
  'unpaid after the pay deadline': '超时未支付，订单已自动取消',
  'group failed': '拼团未成功',
  'group succeeded': '',
  'group could not be opened': '拼团未能发起',
  'group seat no longer held': '拼团名额已失效',
  'payment arrived after the order was cancelled': '订单取消后才到账的款项',
  'voucher expired': '超过取货期限未取货',
  'voucher redeemed': '',
  'refund approved by the store': '',
  'refund completed': '',
  'stock taken by a request that never saved its order': '',
  // delivery
  'out for delivery': '',
  'delivery code confirmed': '',
};

/** A reason as the customer reads it: system reasons translated (or dropped), typed ones as they are. */
export function reasonText(reason: string | null | undefined): string {
  if (!reason) return '';
  return Object.hasOwn(SYSTEM_REASONS, reason) ? SYSTEM_REASONS[reason] : reason;
}

/** One step of an order's timeline in Chinese: what happened, and why (when there is a why). */
export function historyText(h: Pick<HistoryEntry, 'from' | 'to' | 'actor' | 'reason'>): { what: string; why: string } {
  const why = reasonText(h.reason);
  const withWhy = (what: string, prefix = '原因：') => ({ what, why: why ? `${prefix}${why}` : '' });
  if (h.from === 'refund_requested') {
    if (h.to === 'refunding') return { what: '商家同意退款', why: '' };
    return withWhy('商家拒绝退款，订单恢复', '商家说明：');
  }
  switch (h.to) {
    case 'pending_payment':
      return { what: '提交订单', why: '' };
    case 'paid':
      return { what: '支付成功', why: '' };
    case 'grouping':
      return { what: '拼团中，等待成团', why: '' };
    case 'awaiting_pickup':
      return { what: h.from === 'grouping' ? '拼团成功，等待到店取货' : '等待到店取货', why: '' };
    case 'picked_up':
      return { what: '已取货', why: h.actor.type === 'clerk' ? '店员已核销提货码' : '' };
    case 'preparing':
      return { what: h.from === 'grouping' ? '拼团成功，门店备货中' : '门店备货中，备好后送货上门', why: '' };
    case 'delivering':
      return { what: '配送员已出发', why: '' };
    case 'delivered':
      return { what: '已送达', why: h.actor.type === 'clerk' ? '配送员已核对收货码' : '' };
    case 'refund_requested':
      return withWhy('申请退款，等待商家审核');
    case 'refunding':
      if (h.reason === 'voucher expired') return { what: '超过取货期限未取货，自动退款', why: '' };
      if (h.actor.type === 'user') return withWhy(h.from === 'grouping' ? '申请退款（未成团，直接退款）' : '申请退款');
      return withWhy('退款中');
    case 'refunded':
      return { what: '已退款', why: '款项已原路退回' };
    case 'cancelled':
      return { what: '订单已取消', why: why };
    default:
      return withWhy(statusText(h.to));
  }
}

/** The one-line state of an order's refund for the refund card, or null when there is none to show. */
export function refundSummary(o: Pick<OrderDto, 'status' | 'refund'>): { title: string; note: string; tone: 'info' | 'ok' | 'bad' } | null {
  const r = o.refund;
  if (!r) return null;
  const why = reasonText(r.reason);
  switch (r.status) {
    case 'review':
      return { title: '退款审核中', note: why ? `你的理由：${why} · 商家审核后原路退款` : '商家审核后原路退款', tone: 'info' };
    case 'refused':
      return { title: '商家拒绝了退款申请', note: r.refusedReason ? `商家说明：${r.refusedReason}` : '订单已恢复，可正常取货', tone: 'bad' };
    case 'requested':
      return { title: '退款中', note: why ? `退款原因：${why} · 款项原路退回` : '款项原路退回', tone: 'info' };
    case 'succeeded':
      return { title: '退款已到账', note: why ? `退款原因：${why} · 款项已原路退回` : '款项已原路退回', tone: 'ok' };
    case 'failed':
      return { title: '退款遇到问题', note: '门店正在处理，请稍后查看', tone: 'bad' };
    default:
      return null;
  }
}

/** Whether the customer may ask for a refund of this order now (the BFF decides; this only shows the button). */
export function canAskRefund(o: Pick<OrderDto, 'status'>): boolean {
  return o.status === 'awaiting_pickup' || o.status === 'preparing' || o.status === 'grouping';
}
