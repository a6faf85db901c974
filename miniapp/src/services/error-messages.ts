/**
 * The one table from API error codes to what a customer or clerk reads. Codes come from the BFF
 * (`{error:{code}}`); anything not listed falls back to a message by HTTP status.
 */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  // generic
  VALIDATION_FAILED: '输入有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  INVALID_TOKEN: '登录已失效，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  ROLE_REQUIRED: '没有权限进行此操作',
  NOT_FOUND: '内容不存在',
  ROUTE_NOT_FOUND: '功能暂不可用',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  NETWORK_ERROR: '网络不给力，请检查网络后重试',
  INTERNAL: '服务开小差了，请稍后再试',
  INTERNAL_ERROR: '服务开小差了，请稍后再试',
  // identity & member
  INVALID_LOGIN_CODE: '登录失败，请重试',
  LOGIN_CODE_INVALID: '登录失败，请重试',
  INVALID_REFRESH_TOKEN: '登录已过期，请重新登录',
  REFRESH_TOKEN_INVALID: '登录已过期，请重新登录',
  PHONE_CODE_INVALID: '手机号授权失败，请重试',
  INVALID_PHONE_CODE: '手机号授权失败，请重试',
  PHONE_ALREADY_BOUND: '该手机号已绑定其他账号',
  CARD_NOT_FOUND: '会员卡不存在',
  CARD_ALREADY_BOUND: '该会员卡已被绑定',
  MEMBER_ALREADY_BOUND: '你已绑定过会员卡',
  ALREADY_BOUND: '你已绑定过会员卡',
  SMS_CODE_INVALID: '验证码错误或已过期',
  INVALID_SMS_CODE: '验证码错误或已过期',
  MEMBER_NOT_FOUND: '还不是会员',
  MEMBER_CODE_INVALID: '会员码无效',
  MEMBER_CODE_EXPIRED: '会员码已过期，请让顾客刷新',
  RECEIPT_ALREADY_CREDITED: '该小票已积过分',
  // catalog & stores
  STORE_NOT_FOUND: '门店不存在',
  PRODUCT_NOT_FOUND: '商品不存在',
  DEAL_NOT_FOUND: '拼团活动不存在',
  DEAL_NOT_ACTIVE: '拼团活动未开始或已结束',
  DEAL_ENDED: '拼团活动已结束',
  OUT_OF_STOCK: '库存不足',
  INSUFFICIENT_STOCK: '库存不足',
  LIMIT_EXCEEDED: '超出限购数量',
  PURCHASE_LIMIT: '超出限购数量',
  // groups
  GROUP_NOT_FOUND: '这个团不存在',
  GROUP_FULL: '这个团已经满员了',
  GROUP_EXPIRED: '这个团已经过期了',
  GROUP_CLOSED: '这个团已经结束了',
  GROUP_NOT_OPEN: '这个团暂时不能加入',
  ALREADY_IN_GROUP: '你已经在这个团里了',
  ALREADY_JOINED: '你已经在这个团里了',
  CANNOT_JOIN_OWN_GROUP: '不能加入自己开的团',
  // orders & payment
  ORDER_NOT_FOUND: '订单不存在',
  ORDER_NOT_PAYABLE: '订单当前不能支付',
  ORDER_NOT_CANCELLABLE: '订单当前不能取消',
  INVALID_TRANSITION: '订单状态已变化，请刷新',
  ILLEGAL_TRANSITION: '订单状态已变化，请刷新',
  ORDER_STATE_CONFLICT: '订单状态已变化，请刷新',
  PAYMENT_FAILED: '支付失败，请重试',
  PAYMENT_CANCELLED: '已取消支付',
  IDEMPOTENCY_CONFLICT: '请求重复，请刷新后查看',
  // vouchers & clerk
  VOUCHER_NOT_FOUND: '券码不存在',
  VOUCHER_ALREADY_REDEEMED: '该券已核销',
  VOUCHER_NOT_REDEEMABLE: '该订单当前不能核销',
  WRONG_STORE: '不是本店的订单',
  STORE_SCOPE: '不是本店的订单',
  NOT_STORE_CLERK: '你不是本店店员',
  INVITE_NOT_FOUND: '邀请码无效',
  INVITE_USED: '邀请码已被使用',
};

const BY_STATUS: Record<number, string> = {
  400: '输入有误，请检查后重试',
  401: '请先登录',
  403: '没有权限进行此操作',
  404: '内容不存在',
  409: '状态已变化，请刷新后重试',
  422: '暂时无法完成此操作',
  429: '操作太频繁，请稍后再试',
};

/** The Chinese message for an error code, by status when the code is unknown. */
export function messageFor(code: string | undefined, status?: number): string {
  if (code && ERROR_MESSAGES[code]) return ERROR_MESSAGES[code];
  if (status && BY_STATUS[status]) return BY_STATUS[status];
  if (status && status >= 500) return ERROR_MESSAGES.INTERNAL;
  return '出错了，请稍后再试';
}
