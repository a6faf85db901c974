import { z } from 'zod';

/**
 * Subscription messages (订阅消息): the one table of templates, their host template ids and how an
 * outbox entry's `data` fills each template keyword. The miniapp asks consent for `templateId`s from
 * here (`Taro.requestSubscribeMessage`), the BFF fills and sends them, the mock host checks the same
 * keyword rules the real host enforces.
 */
export const MESSAGE_EVENT_TYPES = ['GroupSucceeded', 'GroupFailed', 'OrderReady', 'RefundCompleted', 'GroupExpiringSoon', 'OrderOutForDelivery'] as const;
export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];

/** One keyword of a template (`thing1`, `time2`, …) and where its value comes from. */
export interface TemplateField {
  /** The template keyword the host expects; its kind (`thing`, `time`, …) sets the value rules. */
  key: string;
  /** Keyword title as the template shows it. */
  label: string;
  /** Names in the outbox entry's `data` that give this value, first present wins; the keyword itself is also read. */
  from: readonly string[];
  /** Used when `data` has none of `from`; `$createdAt` means the event's time, `$refId` the id inside the key. */
  fallback?: string;
}

export interface MessageTemplate {
  templateId: string;
  /** Title of the template as the user sees it. */
  title: string;
  /** Miniapp page opened when `page` is missing from the entry. */
  page: string;
  fields: readonly TemplateField[];
}

export const MESSAGE_TEMPLATES: Readonly<Record<MessageEventType, MessageTemplate>> = {
  GroupSucceeded: {
    templateId: 'TPL_GROUP_SUCCESS',
    title: '拼团成功',
    page: 'pages/group/index',
    fields: [
      { key: 'thing1', label: '商品名称', from: ['productName', 'productTitle', 'title'], fallback: '拼团商品' },
      { key: 'time2', label: '成团时间', from: ['succeededAt', 'at'], fallback: '$createdAt' },
      { key: 'thing3', label: '取货门店', from: ['storeName'], fallback: '下单门店' },
      { key: 'thing4', label: '温馨提示', from: ['tip'], fallback: '备货完成后会通知您到店取货' },
    ],
  },
  GroupFailed: {
    templateId: 'TPL_GROUP_FAILED',
    title: '拼团失败',
    page: 'pages/group/index',
    fields: [
      { key: 'thing1', label: '商品名称', from: ['productName', 'productTitle', 'title'], fallback: '拼团商品' },
      { key: 'thing2', label: '失败原因', from: ['reason'], fallback: '拼团时间已到，人数未满' },
      { key: 'thing3', label: '温馨提示', from: ['tip'], fallback: '已付款项将原路退回' },
    ],
  },
  OrderReady: {
    templateId: 'TPL_ORDER_READY',
    title: '备货完成',
    page: 'pages/order-detail/index',
    fields: [
      { key: 'character_string1', label: '订单编号', from: ['orderNo', 'orderId'], fallback: '$refId' },
      { key: 'thing2', label: '商品名称', from: ['productName', 'items', 'productTitle', 'title'], fallback: '您的订单商品' },
      { key: 'thing3', label: '取货门店', from: ['storeName'], fallback: '下单门店' },
      { key: 'time4', label: '备货时间', from: ['readyAt', 'at'], fallback: '$createdAt' },
      { key: 'thing5', label: '温馨提示', from: ['tip'], fallback: '商品已备好，请凭取货码到店自提' },
    ],
  },
  RefundCompleted: {
    templateId: 'TPL_REFUND_DONE',
    title: '退款成功',
    page: 'pages/order-detail/index',
    fields: [
      { key: 'character_string1', label: '订单编号', from: ['orderNo', 'orderId'], fallback: '$refId' },
      { key: 'amount2', label: '退款金额', from: ['refundCents', 'amountCents', 'amount'] },
      { key: 'time3', label: '退款时间', from: ['refundedAt', 'completedAt', 'at'], fallback: '$createdAt' },
      { key: 'thing4', label: '退款说明', from: ['reason', 'tip'], fallback: '款项已原路退回，请注意查收' },
    ],
  },
  GroupExpiringSoon: {
    templateId: 'TPL_GROUP_EXPIRING',
    title: '拼团即将结束',
    page: 'pages/group/index',
    fields: [
      { key: 'thing1', label: '商品名称', from: ['productName', 'productTitle', 'title'], fallback: '拼团商品' },
      { key: 'number2', label: '还差人数', from: ['seatsLeft'] },
      { key: 'time3', label: '结束时间', from: ['expiresAt'] },
      { key: 'thing4', label: '温馨提示', from: ['tip'], fallback: '快邀请好友一起参团吧' },
    ],
  },
  // Delivery (issue 16): the courier left the store with the order.
  OrderOutForDelivery: {
    templateId: 'TPL_DELIVERY_OUT',
    title: '订单配送中',
    page: 'pages/order-detail/index',
    fields: [
      { key: 'character_string1', label: '订单编号', from: ['orderNo', 'orderId'], fallback: '$refId' },
      { key: 'thing2', label: '商品名称', from: ['productName', 'items', 'title'], fallback: '您的订单商品' },
      { key: 'thing3', label: '配送员', from: ['courier'], fallback: '门店配送员' },
      { key: 'time4', label: '出发时间', from: ['outAt', 'at'], fallback: '$createdAt' },
      { key: 'thing5', label: '温馨提示', from: ['tip'], fallback: '请准备好收货码，交给配送员核对' },
    ],
  },
};

export const TEMPLATE_IDS = Object.values(MESSAGE_TEMPLATES).map((t) => t.templateId);

/**
 * Which templates the miniapp asks consent for (`Taro.requestSubscribeMessage`, at most 3 at once),
 * right before the tap that leads to them: opening or joining a group, and paying a pickup order.
 */
export const CONSENT_ASKS = {
  group: [MESSAGE_TEMPLATES.GroupSucceeded.templateId, MESSAGE_TEMPLATES.GroupFailed.templateId, MESSAGE_TEMPLATES.OrderReady.templateId],
  order: [MESSAGE_TEMPLATES.OrderReady.templateId, MESSAGE_TEMPLATES.RefundCompleted.templateId],
  delivery: [MESSAGE_TEMPLATES.OrderOutForDelivery.templateId, MESSAGE_TEMPLATES.RefundCompleted.templateId],
} as const;

/** The event type a template id belongs to, or undefined. */
export function templateById(templateId: string): (MessageTemplate & { type: MessageEventType }) | undefined {
  for (const type of MESSAGE_EVENT_TYPES) {
    if (MESSAGE_TEMPLATES[type].templateId === templateId) return { ...MESSAGE_TEMPLATES[type], type };
  }
  return undefined;
}

/**
 * The host's rules for a keyword value by kind (the keyword without its number). A value that breaks
 * them is refused by the host with errcode 47003.
 */
export const KEYWORD_RULES: Readonly<Record<string, { max: number; pattern?: RegExp }>> = {
  thing: { max: 20 },
  number: { max: 32, pattern: /^[0-9]+(\.[0-9]+)?$/ },
  letter: { max: 32, pattern: /^[A-Za-z]+$/ },
  symbol: { max: 5 },
  character_string: { max: 32, pattern: /^[A-Za-z0-9_.:#-]+$/ },
  time: { max: 40, pattern: /^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{1,2}:\d{2}$|^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/ },
  date: { max: 40, pattern: /^\d{4}年\d{1,2}月\d{1,2}日$|^\d{4}-\d{2}-\d{2}$/ },
  amount: { max: 14, pattern: /^[¥$]?\d{1,10}(\.\d{1,2})?元?$/ },
  phone_number: { max: 17, pattern: /^[0-9+ -]+$/ },
  name: { max: 20 },
  phrase: { max: 5, pattern: /^[\u4e00-\u9fa5]+$/ },
};

/** `thing1` → `thing`, `character_string12` → `character_string`. */
export function keywordKind(key: string): string {
  return key.replace(/\d+$/, '');
}

/** Null when the value suits the keyword, else why not. */
export function checkKeyword(key: string, value: unknown): string | null {
  const rule = KEYWORD_RULES[keywordKind(key)];
  if (!rule) return `unknown keyword kind ${key}`;
  if (typeof value !== 'string' || value.length === 0) return `${key}.value empty`;
  if ([...value].length > rule.max) return `${key}.value too long (max ${rule.max})`;
  if (rule.pattern && !rule.pattern.test(value)) return `${key}.value invalid for ${keywordKind(key)}`;
  return null;
}

/** `POST /messages/consent`: the template ids the user accepted in `requestSubscribeMessage` (at most 3 at once, as the host allows). */
export const ConsentBody = z
  .object({
    templateIds: z
      .array(z.string().refine((id) => TEMPLATE_IDS.includes(id), 'not a known template id'))
      .min(1)
      .max(3)
      .refine((ids) => new Set(ids).size === ids.length, 'each template id at most once'),
  })
  .strict();
export type ConsentBody = z.infer<typeof ConsentBody>;

/**
 * A user's consent for one template. Consent is one-shot as on the real host: each accept adds one
 * message credit (`remaining`), each message sent with it uses one up.
 */
export const ConsentDto = z.object({
  templateId: z.string(),
  type: z.enum(MESSAGE_EVENT_TYPES),
  title: z.string(),
  remaining: z.number().int().min(0),
});
export type ConsentDto = z.infer<typeof ConsentDto>;

export const ConsentsResponse = z.object({ consents: z.array(ConsentDto) });
export type ConsentsResponse = z.infer<typeof ConsentsResponse>;

/** `POST /internal/messages/dispatch` (cloud function `dispatch-messages`). */
export const DispatchBody = z.object({ limit: z.number().int().min(1).max(500).optional() }).strict();
export type DispatchBody = z.infer<typeof DispatchBody>;

/** What one dispatch run did. `failed` counts failed sends of this run; `retrying` of them will be tried again later. */
export const DispatchResult = z.object({
  relayed: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  retrying: z.number().int(),
});
export type DispatchResult = z.infer<typeof DispatchResult>;

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
