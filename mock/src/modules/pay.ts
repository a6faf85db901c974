import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Host, HostModule } from '../host.js';
import { NO_FAULTS, Notifier, type PayFaults } from '../pay/notifier.js';
import { PlatformKeys, encryptResource, signedHeaders } from '../pay/v3-sign.js';
import { safeRedirect, walletPage } from '../pay/wallet-page.js';

interface Prepay {
  prepayId: string;
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  notifyUrl: string;
  totalCents: number;
  openid: string;
  timeExpire: number | null;
}

interface Transaction {
  transactionId: string;
  outTradeNo: string;
  totalCents: number;
  openid: string;
  successTime: string;
  state: 'SUCCESS' | 'REFUND';
}

interface Refund {
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  refundCents: number;
  totalCents: number;
  status: 'PROCESSING' | 'SUCCESS';
  notifyUrl: string;
  createTime: string;
  successTime: string | null;
}

/** The emulated payment platform: prepays, transactions, refunds, and their notifications. */
export interface PayPart {
  readonly keys: PlatformKeys;
  readonly notifier: Notifier;
  readonly prepays: Map<string, Prepay>;
  /** By out_trade_no. */
  readonly transactions: Map<string, Transaction>;
  /** By out_refund_no. */
  readonly refunds: Map<string, Refund>;
  /** Tests only: send every notification here instead of the merchant's notify_url. */
  notifyUrlOverride?: string;
  /** The wallet pays a prepay: records the transaction and notifies the merchant. */
  confirm(prepayId: string): { ok: true; transaction: Transaction } | { ok: false; status: number; code: string; message: string };
  /** A signed notification (headers + body) as the host would send it; for tests of the merchant side. */
  signedNotification(eventType: string, originalType: 'transaction' | 'refund', resource: object, opts?: { timestamp?: string }): { headers: Record<string, string>; body: string };
  /** Settles a refund after PAY_REFUND_DELAY_MS and notifies the merchant. */
  settleLater(refund: Refund): void;
  /** Stops retrying notifications and pending refunds. */
  stop(): void;
}

declare module '../host.js' {
  interface HostParts {
    pay: PayPart;
  }
}

const Jsapi = z.object({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[A-Za-z0-9_\-|*]{6,32}$/),
  time_expire: z.string().optional(),
  notify_url: z.string().url(),
  amount: z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1) }),
}).passthrough();

const RefundBody = z.object({
  out_trade_no: z.string().optional(),
  transaction_id: z.string().optional(),
  out_refund_no: z.string().regex(/^[A-Za-z0-9_\-|*@]{1,64}$/),
  reason: z.string().max(80).optional(),
  notify_url: z.string().url().optional(),
  amount: z.object({ refund: z.number().int().min(1), total: z.number().int().min(1), currency: z.literal('CNY').optional() }),
}).passthrough();

const Faults = z
  .object({
    duplicate: z.number().int().min(0).max(20).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    reorder: z.boolean().optional(),
    failFirst: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** v3 error answer: `{code, message}` with the HTTP status. */
function v3Error(ctx: Context, status: number, code: string, message: string) {
  ctx.status = status;
  ctx.body = { code, message };
}

export const payModule: HostModule = {
  name: 'pay',
  part: (host: Host) => {
    const keys = new PlatformKeys();
    const notifier = new Notifier(host, keys);
    const prepays = new Map<string, Prepay>();
    const transactions = new Map<string, Transaction>();
    const refunds = new Map<string, Refund>();
    const timers = new Set<NodeJS.Timeout>();
    const iso = () => new Date(host.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');

    const transactionResource = (p: Prepay, t: Transaction) => ({
      mchid: p.mchid,
      appid: p.appid,
      out_trade_no: t.outTradeNo,
      transaction_id: t.transactionId,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      attach: '',
      success_time: t.successTime,
      payer: { openid: t.openid },
      amount: { total: t.totalCents, payer_total: t.totalCents, currency: 'CNY', payer_currency: 'CNY' },
    });

    const part: PayPart = {
      keys,
      notifier,
      prepays,
      transactions,
      refunds,
      confirm(prepayId) {
        const p = prepays.get(prepayId);
        if (!p) return { ok: false, status: 404, code: 'RESOURCE_NOT_EXISTS', message: 'prepay not found' };
        if (transactions.has(p.outTradeNo)) return { ok: false, status: 409, code: 'ORDERPAID', message: 'already paid' };
        if (p.timeExpire !== null && host.now() > p.timeExpire) return { ok: false, status: 409, code: 'ORDER_CLOSED', message: 'prepay expired' };
        const t: Transaction = {
          transactionId: `4200${digits(24)}`,
          outTradeNo: p.outTradeNo,
          totalCents: p.totalCents,
          openid: p.openid,
          successTime: iso(),
          state: 'SUCCESS',
        };
        transactions.set(p.outTradeNo, t);
        notifier.notify(part.notifyUrlOverride ?? p.notifyUrl, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', transactionResource(p, t));
        return { ok: true, transaction: t };
      },
      signedNotification(eventType, originalType, resource, opts = {}) {
        const body = JSON.stringify({
          id: `test-${digits(12)}`,
          create_time: iso(),
          resource_type: 'encrypt-resource',
          event_type: eventType,
          summary: 'test',
          resource: { original_type: originalType, ...encryptResource(host.config.PAY_API_V3_KEY, JSON.stringify(resource), originalType) },
        });
        return { headers: signedHeaders(keys, body, host.now(), opts), body };
      },
      stop() {
        notifier.stop();
        for (const t of timers) clearTimeout(t);
      },
      settleLater(r) {
        const t = setTimeout(() => {
          timers.delete(t);
          r.status = 'SUCCESS';
          r.successTime = iso();
          const txn = transactions.get(r.outTradeNo);
          if (txn) txn.state = 'REFUND';
          notifier.notify(part.notifyUrlOverride ?? r.notifyUrl, 'REFUND.SUCCESS', '退款成功', 'refund', {
            mchid: host.config.PAY_MCH_ID,
            out_trade_no: r.outTradeNo,
            transaction_id: r.transactionId,
            out_refund_no: r.outRefundNo,
            refund_id: r.refundId,
            refund_status: 'SUCCESS',
            success_time: r.successTime,
            user_received_account: '支付用户零钱',
            amount: { total: r.totalCents, refund: r.refundCents, payer_total: r.totalCents, payer_refund: r.refundCents },
          });
        }, host.config.PAY_REFUND_DELAY_MS);
        timers.add(t);
      },
    };
    return { pay: part };
  },

  routes: (host) => {
    const r = new Router();
    const pay = () => host.parts.pay;

    // Platform public key by serial (the "platform public key" mode of v3).
    r.get('/v3/certificates', (ctx) => {
      ctx.body = { data: [{ serial_no: pay().keys.serial, effective_time: '2024-01-01T00:00:00+08:00', expire_time: '2034-01-01T00:00:00+08:00', public_key: pay().keys.publicKeyPem() }] };
    });

    // https://pay.weixin.qq.com/doc/v3/merchant/4012791856 (JSAPI prepay)
    r.post('/v3/pay/transactions/jsapi', (ctx) => {
      const b = Jsapi.safeParse(ctx.request.body);
      if (!b.success) return v3Error(ctx, 400, 'PARAM_ERROR', b.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      if (b.data.appid !== host.config.APP_ID) return v3Error(ctx, 400, 'APPID_MCHID_NOT_MATCH', 'appid does not match');
      if (b.data.mchid !== host.config.PAY_MCH_ID) return v3Error(ctx, 400, 'MCH_NOT_EXISTS', 'unknown mchid');
      const existing = [...pay().prepays.values()].find((p) => p.outTradeNo === b.data.out_trade_no);
      if (existing) {
        if (existing.totalCents !== b.data.amount.total) return v3Error(ctx, 400, 'INVALID_REQUEST', 'out_trade_no reused with different amount');
        ctx.body = { prepay_id: existing.prepayId };
        return;
      }
      const prepayId = `wx${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;
      const expire = b.data.time_expire ? Date.parse(b.data.time_expire) : NaN;
      pay().prepays.set(prepayId, {
        prepayId,
        appid: b.data.appid,
        mchid: b.data.mchid,
        outTradeNo: b.data.out_trade_no,
        description: b.data.description,
        notifyUrl: b.data.notify_url,
        totalCents: b.data.amount.total,
        openid: b.data.payer.openid,
        timeExpire: Number.isFinite(expire) ? expire : null,
      });
      ctx.body = { prepay_id: prepayId };
    });

    r.get('/v3/pay/transactions/out-trade-no/:no', (ctx) => {
      const no = ctx.params.no;
      const prepay = [...pay().prepays.values()].find((p) => p.outTradeNo === no);
      if (!prepay) return v3Error(ctx, 404, 'ORDER_NOT_EXIST', 'order does not exist');
      const t = pay().transactions.get(no);
      ctx.body = {
        appid: prepay.appid,
        mchid: prepay.mchid,
        out_trade_no: no,
        trade_state: t ? t.state : 'NOTPAY',
        trade_state_desc: t ? '支付成功' : '未支付',
        ...(t ? { transaction_id: t.transactionId, success_time: t.successTime, payer: { openid: t.openid } } : {}),
        amount: { total: prepay.totalCents, currency: 'CNY' },
      };
    });

    // https://pay.weixin.qq.com/doc/v3/merchant/4012791862 (refunds): idempotent by out_refund_no.
    r.post('/v3/refund/domestic/refunds', (ctx) => {
      const b = RefundBody.safeParse(ctx.request.body);
      if (!b.success) return v3Error(ctx, 400, 'PARAM_ERROR', b.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const known = pay().refunds.get(b.data.out_refund_no);
      const view = (x: Refund) => ({
        refund_id: x.refundId,
        out_refund_no: x.outRefundNo,
        transaction_id: x.transactionId,
        out_trade_no: x.outTradeNo,
        channel: 'ORIGINAL',
        user_received_account: '支付用户零钱',
        success_time: x.successTime ?? undefined,
        create_time: x.createTime,
        status: x.status,
        amount: { total: x.totalCents, refund: x.refundCents, payer_total: x.totalCents, payer_refund: x.refundCents, currency: 'CNY' },
      });
      if (known) {
        ctx.body = view(known);
        return;
      }
      const txn = b.data.out_trade_no
        ? pay().transactions.get(b.data.out_trade_no)
        : [...pay().transactions.values()].find((t) => t.transactionId === b.data.transaction_id);
      if (!txn) return v3Error(ctx, 404, 'RESOURCE_NOT_EXISTS', 'no paid order to refund');
      const refunded = [...pay().refunds.values()].filter((x) => x.outTradeNo === txn.outTradeNo).reduce((s, x) => s + x.refundCents, 0);
      if (b.data.amount.total !== txn.totalCents || refunded + b.data.amount.refund > txn.totalCents) {
        return v3Error(ctx, 400, 'INVALID_REQUEST', 'refund amount exceeds what was paid');
      }
      const prepay = [...pay().prepays.values()].find((p) => p.outTradeNo === txn.outTradeNo);
      const refund: Refund = {
        refundId: `50${digits(27)}`,
        outRefundNo: b.data.out_refund_no,
        outTradeNo: txn.outTradeNo,
        transactionId: txn.transactionId,
        refundCents: b.data.amount.refund,
        totalCents: txn.totalCents,
        status: 'PROCESSING',
        notifyUrl: b.data.notify_url ?? prepay?.notifyUrl ?? host.config.NOTIFY_URL,
        createTime: new Date(host.now()).toISOString(),
        successTime: null,
      };
      pay().refunds.set(refund.outRefundNo, refund);
      pay().settleLater(refund);
      ctx.body = view(refund);
    });

    r.get('/v3/refund/domestic/refunds/:no', (ctx) => {
      const x = pay().refunds.get(ctx.params.no);
      if (!x) return v3Error(ctx, 404, 'RESOURCE_NOT_EXISTS', 'refund does not exist');
      ctx.body = { refund_id: x.refundId, out_refund_no: x.outRefundNo, out_trade_no: x.outTradeNo, status: x.status, amount: { total: x.totalCents, refund: x.refundCents } };
    });

    // ---- dev surface ----
    r.post('/dev/pay/confirm', (ctx) => {
      const prepayId = (ctx.request.body as { prepayId?: unknown } | undefined)?.prepayId;
      if (typeof prepayId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(prepayId)) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: 'invalid args: prepayId' };
        return;
      }
      const res = pay().confirm(prepayId);
      if (!res.ok) {
        ctx.status = res.status;
        ctx.body = { errcode: res.status, errmsg: res.message, code: res.code };
        return;
      }
      ctx.body = { transactionId: res.transaction.transactionId, outTradeNo: res.transaction.outTradeNo, amount: res.transaction.totalCents };
    });

    r.get('/dev/pay/state', (ctx) => {
      ctx.body = {
        transactions: [...pay().transactions.values()],
        refunds: [...pay().refunds.values()],
        notifications: { ...pay().notifier.stats },
        faults: pay().notifier.faults,
      };
    });

    r.post('/dev/faults', (ctx) => {
      const f = Faults.safeParse(ctx.request.body ?? {});
      if (!f.success) {
        ctx.status = 400;
        ctx.body = { errcode: 40097, errmsg: f.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
        return;
      }
      const next: PayFaults = { ...NO_FAULTS, ...f.data };
      pay().notifier.faults = next;
      ctx.body = { faults: next };
    });

    r.delete('/dev/faults', (ctx) => {
      pay().notifier.faults = { ...NO_FAULTS };
      ctx.body = { faults: pay().notifier.faults };
    });

    r.get('/dev/wallet', (ctx) => {
      const prepayId = typeof ctx.query.prepayId === 'string' ? ctx.query.prepayId : '';
      const p = pay().prepays.get(prepayId);
      if (!p) {
        ctx.status = 404;
        ctx.type = 'html';
        ctx.body = '<!doctype html><meta charset="utf-8"><p>支付单不存在或已过期</p>';
        return;
      }
      ctx.type = 'html';
      ctx.body = walletPage({ prepayId, description: p.description, totalCents: p.totalCents, paid: pay().transactions.has(p.outTradeNo), redirect: safeRedirect(ctx.query.redirect) });
    });

    return r;
  },
};
