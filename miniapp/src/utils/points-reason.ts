/** What a points entry reads as: a title, and the reference a customer can recognise (or nothing). */
export function pointsReasonText(reason: string, refId: string): { title: string; detail: string } {
  switch (reason) {
    case 'purchase':
    case 'receipt':
    case 'till': {
      // refId is `<storeId>:<receiptNo>`: the receipt number is what is printed on the slip.
      const receipt = refId.includes(':') ? refId.slice(refId.indexOf(':') + 1) : refId;
      return { title: '门店消费积分', detail: receipt ? `小票号 ${receipt}` : '' };
    }
    case 'opening':
    case 'offline_balance':
    case 'migrate':
      return { title: '原会员卡积分转入', detail: refId ? `会员卡 ${refId}` : '' };
    case 'order':
    case 'order_picked_up':
      return { title: '线上订单积分', detail: '' };
    case 'order_pickup':
      return { title: '线上订单取货积分', detail: refId ? `订单 ${refId.slice(-6)}` : '' };
    case 'points_spend':
      return { title: '积分抵扣', detail: refId ? `订单 ${refId.slice(-6)}` : '' };
    case 'points_return':
      return { title: '订单取消/退款，积分退回', detail: refId ? `订单 ${refId.slice(-6)}` : '' };
    case 'order_unearn':
      return { title: '订单退款，积分扣回', detail: refId ? `订单 ${refId.slice(-6)}` : '' };
    case 'refund':
      return { title: '订单退款，积分扣回', detail: '' };
    case 'bind_bonus':
      return { title: '绑定会员卡奖励', detail: '' };
    case 'adjust':
      return { title: '积分调整', detail: '' };
    default:
      return { title: '积分变动', detail: '' };
  }
}
