import Router from '@koa/router';
import type { PaymentService } from './payment.service.js';
import { ValidationError } from '../../common/errors.js';

/** The host's notification endpoint: signed, encrypted, idempotent; 200 SUCCESS once applied. */
export function paymentRoutes(payments: PaymentService): Router {
  const r = new Router();
  r.post('/pay/notify', async (ctx) => {
    const raw = (ctx.request as { rawBody?: unknown }).rawBody;
    if (typeof raw !== 'string' || !raw) throw new ValidationError('Notification body missing', undefined, 'NOTIFY_MALFORMED');
    const h = (name: string) => ctx.get(name) || undefined;
    await payments.handleNotification(
      {
        'wechatpay-timestamp': h('wechatpay-timestamp'),
        'wechatpay-nonce': h('wechatpay-nonce'),
        'wechatpay-signature': h('wechatpay-signature'),
        'wechatpay-serial': h('wechatpay-serial'),
      },
      raw,
    );
    ctx.body = { code: 'SUCCESS' };
  });
  return r;
}
