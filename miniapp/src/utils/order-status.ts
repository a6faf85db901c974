import type { OrderStatusName } from '@linli/contracts';

/** How each order status reads to a customer. */
export const ORDER_STATUS_TEXT: Record<OrderStatusName, string> = {
  pending_payment: '待支付',
  paid: '已支付',
  grouping: '拼团中',
  awaiting_pickup: '待取货',
  picked_up: '已取货',
  preparing: '备货中',
  delivering: '配送中',
  delivered: '已送达',
  cancelled: '已取消',
  refund_requested: '退款审核中',
  refunding: '退款中',
  refunded: '已退款',
};

/** Tabs of the orders page: one status each, or all. */
export const ORDER_TABS: { key: 'all' | OrderStatusName; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'pending_payment', label: '待支付' },
  { key: 'grouping', label: '拼团中' },
  { key: 'awaiting_pickup', label: '待取货' },
  { key: 'picked_up', label: '已完成' },
  { key: 'refunded', label: '已退款' },
];

/** What a history reason or actor reads as on the timeline. */
export function actorText(type: string): string {
  return { user: '你', clerk: '店员', system: '系统', host: '支付平台' }[type] ?? type;
}

export function statusText(s: string): string {
  return ORDER_STATUS_TEXT[s as OrderStatusName] ?? s;
}

const REFUND_REASONS: Record<string, string> = {
  'group failed': '拼团未成功',
  group_failed: '拼团未成功',
  'cancelled by customer': '顾客取消',
};

/** A refund reason as the customer reads it (unknown reasons are not shown). */
export function refundReasonText(reason: string): string {
  return REFUND_REASONS[reason] ?? '';
}
