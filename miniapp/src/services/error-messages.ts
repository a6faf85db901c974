/**
 * The one table from API error codes to what a customer or clerk reads. Codes come from the BFF
 * (`{error:{code}}`); anything not listed falls back to a message by HTTP status.
 */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  // generic
  VALIDATION_FAILED: '输入有误，请检查后重试',
  BAD_REQUEST: '输入有误，请检查后重试',
  MALFORMED_JSON: '输入有误，请检查后重试',
  INVALID_CURSOR: '列表已更新，请下拉刷新',
  BAD_CURSOR: '列表已更新，请下拉刷新',
  UNAUTHORIZED: '请先登录',
  TOKEN_INVALID: '登录已失效，请重新登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '没有权限进行此操作',
  ROLE_REQUIRED: '没有权限进行此操作',
  NOT_FOUND: '内容不存在',
  ROUTE_NOT_FOUND: '功能暂不可用',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  NETWORK_ERROR: '网络不给力，请检查网络后重试',
  UPSTREAM_UNAVAILABLE: '服务暂时连不上，请稍后再试',
  DB_UNAVAILABLE: '服务繁忙，请稍后再试',
  HOST_UNAVAILABLE: '微信服务暂时不可用，请稍后再试',
  INTERNAL: '服务开小差了，请稍后再试',
  IDEMPOTENCY_IN_PROGRESS: '正在处理，请稍候',
  IDEMPOTENCY_KEY_REUSED: '请求重复，请刷新后查看',
  // operator console
  DUPLICATE: '编号已存在，请换一个',
  CATEGORY_NOT_FOUND: '商品分类不存在',
  DEAL_CAP_BELOW_SOLD: '名额上限不能低于已售出的数量',
  INVENTORY_NOT_FOUND: '该门店还没有上架这个商品',
  MEMBER_PRICE_ABOVE_PRICE: '会员价不能高于售价',
  STOCK_BELOW_ZERO: '库存不够减，调整后会变成负数',
  // promotions
  COUPON_NOT_FOUND: '优惠券不存在',
  COUPON_SOLD_OUT: '优惠券已被领完',
  COUPON_LIMIT_REACHED: '你已领过这张券',
  COUPON_NOT_CLAIMABLE: '这张券暂不可领取',
  COUPON_NOT_USABLE: '这张优惠券已用过或已过期，请重新选择',
  POINTS_INSUFFICIENT: '积分余额不足，请重新确认订单',
  OFFER_NOT_FOUND: '活动不存在',
  // identity & clerk invites
  LOGIN_CODE_INVALID: '登录失败，请重试',
  USER_NOT_FOUND: '账号不存在，请重新登录',
  REFRESH_TOKEN_INVALID: '登录已过期，请重新登录',
  REFRESH_TOKEN_EXPIRED: '登录已过期，请重新登录',
  REFRESH_TOKEN_REVOKED: '登录已过期，请重新登录',
  REFRESH_TOKEN_REUSED: '账号在别处登录，请重新登录',
  INVITE_NOT_FOUND: '邀请码无效',
  INVITE_EXPIRED: '邀请码已过期',
  INVITE_ALREADY_REDEEMED: '邀请码已被使用',
  // member
  PHONE_CODE_INVALID: '手机号授权失败，请重试',
  SEVERAL_CARDS_FOR_PHONE: '该手机号有多张会员卡，请输入卡号绑定',
  CARD_NOT_FOUND: '会员卡不存在',
  CARD_ALREADY_BOUND: '该会员卡已被其他账号绑定',
  ALREADY_A_MEMBER: '你已绑定过会员卡',
  MEMBER_CARD_BIND: '会员卡绑定失败，请重试',
  SMS_CODE_INVALID: '验证码错误或已过期',
  NOT_A_MEMBER: '还不是会员，请先绑定手机号或会员卡',
  MEMBER_NOT_FOUND: '会员不存在',
  MEMBER_CODE_INVALID: '会员码无效',
  MEMBER_CODE_EXPIRED: '会员码已过期，请让顾客刷新',
  RECEIPT_ALREADY_CREDITED: '该小票已积过分',
  NO_CONSENT: '请先允许接收消息通知',
  // catalog & deals
  STORE_NOT_FOUND: '门店不存在',
  PRODUCT_NOT_FOUND: '商品不存在',
  DEAL_NOT_FOUND: '拼团活动不存在',
  DEAL_NOT_ACTIVE: '拼团活动未开始或已结束',
  DEAL_SOLD_OUT: '拼团名额已抢光',
  DEAL_INVALID: '拼团活动设置有误',
  NEW_MEMBERS_ONLY: '该活动仅限新会员参加',
  PER_USER_LIMIT: '超出每人限购数量',
  OUT_OF_STOCK: '库存不足',
  // groups & shares
  GROUP_NOT_FOUND: '这个团不存在',
  GROUP_FULL: '这个团已经满员了',
  GROUP_EXPIRED: '这个团已经过期了',
  GROUP_NOT_OPEN: '这个团暂时不能加入',
  GROUP_CHANGED: '团的状态刚刚变了，请刷新',
  ALREADY_JOINED: '你已经在这个团里了',
  SHARE_NOT_FOUND: '分享链接已失效',
  // sharing (issue 13)
  DEAL_NOT_AT_STORE: '这家门店没有这个拼团活动',
  STORE_REQUIRED: '分享链接缺少门店，请重新打开',
  WXACODE_REFUSED: '小程序码暂时生成不了，请稍后再试',
  // orders & payment
  ORDER_NOT_FOUND: '订单不存在',
  ORDER_STATE: '订单状态已变化，请刷新',
  ORDER_ABANDONED: '订单已失效，请重新下单',
  ORDERS_UNAVAILABLE: '下单服务暂不可用，请稍后再试',
  PAYMENT_UNAVAILABLE: '支付服务暂不可用，请稍后再试',
  PAYMENTS_UNAVAILABLE: '支付服务暂不可用，请稍后再试',
  // vouchers & clerk
  VOUCHER_INVALID: '不是有效的提货券',
  VOUCHER_EXPIRED: '提货券已过期',
  VOUCHER_UNAVAILABLE: '提货券暂不可用',
  VOUCHER_ALREADY_REDEEMED: '该券已核销',
  WRONG_STORE: '不是本店的订单',
  ORDER_NOT_REDEEMABLE: '该订单当前不能核销',
  ORDER_NOT_AWAITING_PICKUP: '该订单不在待取货状态',
  ALREADY_READY: '该订单已经备好了',
  // after-sale
  REFUND_NOT_ALLOWED: '该订单当前不能申请退款',
  REFUND_NOT_REQUESTED: '这笔退款申请已经处理过了',
  ORDER_BUSY: '订单正在处理，请稍后再试',
  // delivery (同城配送)
  ADDRESS_NOT_FOUND: '收货地址不存在，请重新选择',
  ADDRESS_BOOK_FULL: '收货地址最多保存 20 个',
  DELIVERY_NOT_OFFERED: '该门店暂不提供配送，请选择到店自提',
  DELIVERY_OUT_OF_RANGE: '收货地址超出门店配送范围，请换个地址或到店自提',
  DELIVERY_CLOSED: '现在不在配送时间内，请选择一个配送时段',
  DELIVERY_SLOT_UNAVAILABLE: '该配送时段已不可选，请重新选择',
  DELIVERY_MINIMUM_NOT_MET: '未达到起送金额，再选几件吧',
  DELIVERY_UNAVAILABLE: '配送暂不可用，请选择到店自提',
  DELIVERY_CODE_INVALID: '收货码不正确，请核对后重试',
  DELIVERY_ALREADY_CONFIRMED: '该订单已确认送达',
  DELIVERY_STATE: '订单状态已变化，请刷新',
  COURIER_NOT_ASSIGNED: '请先指派配送员',
  NOT_A_COURIER: '配送员须是本店店员',
  // hardening (issue 18)
  MALFORMED_BODY: '输入有误，请检查后重试',
  TOKEN_REVOKED: '登录已失效，请重新登录',
  TOO_MANY_UNPAID_ORDERS: '待支付的订单太多了，请先支付或取消之前的订单',
  ORDER_TOO_LARGE: '单笔订单件数超出上限，请分开下单',
  // back office (issue 15, hole #4 of issue 18)
  RECEIPT_OVER_CAP: '小票金额超过单张积分上限',
  SELF_CREDIT: '店员不能给自己的会员卡积分',
  SCAN_NOT_CONFIRMED: '请先核对会员与积分后再确认',
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
