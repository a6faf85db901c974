import { createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { request } from 'undici';
import { PayNotificationBody, PayRefundResource, PayTransactionResource } from '@linli/contracts';
import type { Config } from '../../config.js';
import type { Clock } from '../../common/clock.js';
import { AppError, ValidationError } from '../../common/errors.js';
import type { PaymentParams, PaymentProvider, TradeState, VerifiedNotification } from './payment.provider.js';
import { decryptResource, randomNonce, rsaSignAsync, rsaVerify, signedMessage } from './v3-crypto.js';

/** 400/401 for a notification we cannot trust; the host may retry, nothing was changed. */
export class NotifyRefusedError extends AppError {
  constructor(code: string, message: string, status = 401) {
    super(status, code, message);
  }
}

/** 502: the payment platform did not answer as expected. */
export class PaymentUnavailableError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(502, 'PAYMENT_UNAVAILABLE', message, details);
  }
}

const TIMEOUT_MS = 5000;

/**
 * Pay API v3 client pointed at a base URL (the mock host in development and tests). Requests carry
 * a merchant signature (`WECHATPAY2-SHA256-RSA2048`); notifications are verified against the
 * platform public key, fetched from `/v3/certificates` and cached by serial (or given in config).
 */
export class PayV3Provider implements PaymentProvider {
  readonly name = 'mock-host';
  private merchantKeyObj?: KeyObject;
  private readonly merchantSerial = randomNonce(16).toUpperCase();
  private readonly platformKeys = new Map<string, KeyObject>();
  private lastFetch = 0;
  private fetching?: Promise<void>;

  constructor(
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly baseUrl = config.MOCK_HOST_URL,
  ) {
    if (config.PAY_PLATFORM_PUBLIC_KEY) this.platformKeys.set('*', createPublicKey(config.PAY_PLATFORM_PUBLIC_KEY));
    // Made off the event loop (libuv's pool) as the BFF starts: generated on first use instead, the
    // ~0.5 s of an RSA key generation stalled every request in flight when the first order came.
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, privateKey) => {
      if (!err) this.merchantKeyObj ??= privateKey;
    });
  }

  /** A development merchant key (see the constructor); production would load its apiclient_key.pem. */
  private get merchantKey(): KeyObject {
    // Only when the first signature is asked before the pool finished (at once after start).
    this.merchantKeyObj ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    return this.merchantKeyObj;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = randomNonce(32);
    const signature = await rsaSignAsync(this.merchantKey, signedMessage(method, path, ts, nonce, text));
    const auth = `WECHATPAY2-SHA256-RSA2048 mchid="${this.config.PAY_MCH_ID}",nonce_str="${nonce}",signature="${signature}",timestamp="${ts}",serial_no="${this.merchantSerial}"`;
    // undici's request, not fetch: one call per order, and fetch's web streams cost about three
    // times its CPU (measured here: ~0.8 ms against ~0.3 ms a call, client and server together).
    let status: number;
    let raw: string;
    try {
      const res = await request(new URL(path, this.baseUrl), {
        method: method as 'GET' | 'POST',
        headers: { Authorization: auth, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : text,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      status = res.statusCode;
      raw = await res.body.text();
    } catch (err) {
      throw new PaymentUnavailableError('The payment platform cannot be reached', { path, cause: (err as Error).message });
    }
    let json: unknown = {};
    try {
      json = raw ? JSON.parse(raw) : {};
    } catch {
      throw new PaymentUnavailableError('The payment platform answered garbage', { path, status });
    }
    return { status, json: json as T };
  }

  async prepay(p: { orderId: string; amountCents: number; description: string; openid: string; expiresAt: Date }) {
    const { status, json } = await this.call<{ prepay_id?: string; code?: string }>('POST', '/v3/pay/transactions/jsapi', {
      appid: this.config.APP_ID,
      mchid: this.config.PAY_MCH_ID,
      description: p.description.slice(0, 127),
      out_trade_no: p.orderId,
      time_expire: p.expiresAt.toISOString(),
      notify_url: this.config.PAY_NOTIFY_URL,
      amount: { total: p.amountCents, currency: 'CNY' },
      payer: { openid: p.openid },
    });
    if (status !== 200 || !json.prepay_id) throw new PaymentUnavailableError('Prepay failed', { status, code: json.code });
    return { prepayId: json.prepay_id };
  }

  async requestPaymentParams(prepayId: string): Promise<PaymentParams> {
    const timeStamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonceStr = randomNonce(32);
    const pkg = `prepay_id=${prepayId}`;
    const paySign = await rsaSignAsync(this.merchantKey, signedMessage(this.config.APP_ID, timeStamp, nonceStr, pkg));
    return { prepayId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
  }

  private async platformKey(serial: string): Promise<KeyObject | undefined> {
    const fixed = this.platformKeys.get('*');
    if (fixed) return fixed;
    const known = this.platformKeys.get(serial);
    if (known) return known;
    // An unknown serial: refresh at most once a second (keys rotate; forged serials must not flood the host).
    if (!this.fetching && Date.now() - this.lastFetch > 1000) {
      this.lastFetch = Date.now();
      this.fetching = this.call<{ data?: { serial_no: string; public_key: string }[] }>('GET', '/v3/certificates')
        .then(({ json }) => {
          for (const c of json.data ?? []) this.platformKeys.set(c.serial_no, createPublicKey(c.public_key));
        })
        .catch(() => {})
        .finally(() => {
          this.fetching = undefined;
        });
    }
    await this.fetching;
    return this.platformKeys.get(serial);
  }

  async verifyNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<VerifiedNotification> {
    const ts = headers['wechatpay-timestamp'];
    const nonce = headers['wechatpay-nonce'];
    const sig = headers['wechatpay-signature'];
    const serial = headers['wechatpay-serial'];
    if (!ts || !nonce || !sig || !serial) throw new NotifyRefusedError('NOTIFY_UNSIGNED', 'Signature headers missing');
    if (!/^\d{1,12}$/.test(ts)) throw new NotifyRefusedError('NOTIFY_STALE', 'Bad timestamp');
    // Measured on the injected clock: tests that move time move the host's clock with it.
    const skewS = Math.abs(this.clock.now().getTime() / 1000 - Number(ts));
    if (skewS > this.config.PAY_TIMESTAMP_WINDOW_S) throw new NotifyRefusedError('NOTIFY_STALE', 'Timestamp outside the allowed window');
    const key = await this.platformKey(serial);
    if (!key) throw new NotifyRefusedError('NOTIFY_UNKNOWN_SERIAL', 'Unknown platform key serial');
    if (!rsaVerify(key, signedMessage(ts, nonce, rawBody), sig)) throw new NotifyRefusedError('NOTIFY_BAD_SIGNATURE', 'Signature does not verify');

    let body: PayNotificationBody;
    try {
      const parsed = PayNotificationBody.safeParse(JSON.parse(rawBody));
      if (!parsed.success) throw new Error('shape');
      body = parsed.data;
    } catch {
      throw new ValidationError('Notification body is not a v3 notification', undefined, 'NOTIFY_MALFORMED');
    }
    let plain: unknown;
    try {
      plain = JSON.parse(decryptResource(this.config.PAY_API_V3_KEY, body.resource));
    } catch {
      throw new NotifyRefusedError('NOTIFY_DECRYPT_FAILED', 'Resource does not decrypt', 400);
    }
    if (body.event_type === 'TRANSACTION.SUCCESS') {
      const r = PayTransactionResource.safeParse(plain);
      if (!r.success) throw new ValidationError('Transaction resource malformed', undefined, 'NOTIFY_MALFORMED');
      if (r.data.mchid !== this.config.PAY_MCH_ID || r.data.appid !== this.config.APP_ID) {
        throw new NotifyRefusedError('NOTIFY_WRONG_MERCHANT', 'Notification for another merchant', 400);
      }
      return { id: body.id, kind: 'transaction', eventType: body.event_type, resource: r.data };
    }
    const r = PayRefundResource.safeParse(plain);
    if (!r.success) throw new ValidationError('Refund resource malformed', undefined, 'NOTIFY_MALFORMED');
    if (r.data.mchid !== this.config.PAY_MCH_ID) throw new NotifyRefusedError('NOTIFY_WRONG_MERCHANT', 'Notification for another merchant', 400);
    return { id: body.id, kind: 'refund', eventType: body.event_type, resource: r.data };
  }

  async queryTransaction(orderId: string) {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderId)}?mchid=${this.config.PAY_MCH_ID}`;
    const { status, json } = await this.call<{ trade_state?: TradeState; transaction_id?: string; amount?: { total?: number }; success_time?: string }>('GET', path);
    if (status === 404) return null;
    if (status !== 200 || !json.trade_state) throw new PaymentUnavailableError('Transaction query failed', { status });
    return { state: json.trade_state, transactionId: json.transaction_id, amountCents: json.amount?.total, successTime: json.success_time };
  }

  async refund(p: { orderId: string; outRefundNo: string; amountCents: number; totalCents: number; reason: string }) {
    const { status, json } = await this.call<{ status?: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL'; code?: string }>('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: p.orderId,
      out_refund_no: p.outRefundNo,
      reason: p.reason.slice(0, 80),
      notify_url: this.config.PAY_NOTIFY_URL,
      amount: { refund: p.amountCents, total: p.totalCents, currency: 'CNY' },
    });
    if (status !== 200 || !json.status) throw new PaymentUnavailableError('Refund request failed', { status, code: json.code });
    return { status: json.status };
  }

  async queryRefund(outRefundNo: string) {
    const { status, json } = await this.call<{ status?: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL' }>('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
    if (status === 404) return null;
    if (status !== 200 || !json.status) throw new PaymentUnavailableError('Refund query failed', { status });
    return { status: json.status };
  }
}

/** Picks the provider named in config. */
export function createPaymentProvider(config: Config, clock: Clock): PaymentProvider {
  switch (config.PAY_PROVIDER) {
    case 'mock-host':
      return new PayV3Provider(config, clock);
  }
}
