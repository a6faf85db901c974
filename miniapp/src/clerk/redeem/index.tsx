import { Button, Input, Text, View } from '@tarojs/components';
import type { RedeemVoucherResponse, VoucherPreviewResponse } from '@linli/contracts';
import { useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { host } from '../../host';
import { api, ApiError } from '../../services/api';
import { shortTime, yuan } from '../../utils/format';
import { StoreSwitcher } from '../shared/store-switcher';
import './index.scss';

type Result =
  | { kind: 'ok'; r: RedeemVoucherResponse }
  | { kind: 'replay'; at: string | null; by: string | null }
  | { kind: 'wrong_store'; storeId: string | null }
  | { kind: 'error'; message: string };

/** Turns a redeem failure into what the clerk should see. */
function resultOf(e: unknown): Result {
  if (e instanceof ApiError) {
    const d = e.details ?? {};
    if (e.code === 'VOUCHER_ALREADY_REDEEMED') return { kind: 'replay', at: (d.redeemedAt as string) ?? null, by: (d.redeemedBy as string) ?? null };
    if (e.code === 'WRONG_STORE') return { kind: 'wrong_store', storeId: (d.storeId as string) ?? null };
    return { kind: 'error', message: e.message };
  }
  return { kind: 'error', message: (e as Error).message };
}

/** A message for a code that cannot be a voucher, before asking the BFF; null when it may be one. */
export function codeProblem(raw: string): string | null {
  const v = raw.replace(/\s/g, '');
  if (!v) return '请输入或扫描提货码';
  if (/^\d+$/.test(v) && v.length !== 12) return '提货码应为 12 位数字';
  if (!/^\d+$/.test(v) && v.length < 20) return '无法识别的提货码';
  return null;
}

function Redeem() {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<VoucherPreviewResponse | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const look = async (value: string) => {
    const problem = codeProblem(value);
    setResult(null);
    setPreview(null);
    if (problem) {
      setResult({ kind: 'error', message: problem });
      return;
    }
    setBusy(true);
    try {
      setPreview(await api.previewVoucher(value.replace(/\s/g, '')));
    } catch (e) {
      setResult(resultOf(e));
    } finally {
      setBusy(false);
    }
  };

  const redeem = async () => {
    setBusy(true);
    setResult(null);
    try {
      setResult({ kind: 'ok', r: await api.redeemVoucher(code.replace(/\s/g, '')) });
      setPreview(null);
    } catch (e) {
      setResult(resultOf(e));
    } finally {
      setBusy(false);
    }
  };

  const scan = async () => {
    const v = await host.scan();
    if (v) {
      setCode(v);
      await look(v);
    }
  };

  return (
    <View className='redeem'>
      <StoreSwitcher />
      <View className='card'>
        {host.target === 'weapp' && (
          <Button className='btn-primary redeem__scan' onClick={() => void scan()} data-testid='scan'>
            扫码核销
          </Button>
        )}
        <Text className='redeem__label'>输入 12 位提货码</Text>
        <Input className='redeem__input' type='number' maxlength={14} placeholder='例如 1234 5678 9012' value={code} onInput={(e) => setCode(e.detail.value)} onConfirm={() => void look(code)} data-testid='voucher-input' />
        <Button className='btn-primary redeem__btn' loading={busy && !preview} disabled={busy} onClick={() => void look(code)} data-testid='preview'>
          查询订单
        </Button>
      </View>

      {preview && (
        <View className='card result' data-testid='redeem-preview'>
          <Text className='result__title'>请核对后确认核销</Text>
          <Text>顾客：{preview.order.customer.nickname || '—'}{preview.order.customer.phone ? ` · ${preview.order.customer.phone}` : ''}</Text>
          <Text>下单时间：{shortTime(preview.order.createdAt)}</Text>
          {preview.order.items.map((it) => (
            <Text key={it.productId}>
              {it.title} ×{it.qty}
            </Text>
          ))}
          <Text>金额 {yuan(preview.order.amountCents)}</Text>
          {preview.redeemable ? (
            <Button className='btn-primary redeem__btn' loading={busy} disabled={busy} onClick={() => void redeem()} data-testid='redeem'>
              确认核销
            </Button>
          ) : (
            <Text className='result__title' data-testid='not-redeemable'>
              该订单当前不能核销（{preview.order.status === 'picked_up' ? '已取货' : preview.order.status}）
            </Text>
          )}
        </View>
      )}

      {result?.kind === 'ok' && (
        <View className='card result result--ok' data-testid='redeem-ok'>
          <Text className='result__title'>✓ 核销成功</Text>
          <Text>顾客：{result.r.order.customerNickname ?? '—'}</Text>
          {result.r.order.items.map((it) => (
            <Text key={it.productId}>
              {it.title} ×{it.qty}
            </Text>
          ))}
          <Text>
            金额 {yuan(result.r.order.amountCents)} · {shortTime(result.r.redeemedAt)}
          </Text>
        </View>
      )}
      {result?.kind === 'replay' && (
        <View className='card result result--warn' data-testid='redeem-replay'>
          <Text className='result__title'>该券已核销，请勿重复发货</Text>
          <Text>核销时间：{result.at ? shortTime(result.at) : '—'}</Text>
          <Text>核销人：{result.by ?? '—'}</Text>
        </View>
      )}
      {result?.kind === 'wrong_store' && (
        <View className='card result result--bad' data-testid='redeem-wrong-store'>
          <Text className='result__title'>不是本店的订单</Text>
          <Text>请顾客到下单门店{result.storeId ? ` ${result.storeId}` : ''}取货</Text>
        </View>
      )}
      {result?.kind === 'error' && (
        <View className='card result result--bad' data-testid='redeem-error'>
          <Text className='result__title'>{result.message}</Text>
        </View>
      )}
    </View>
  );
}

/** Clerk: scan or type a voucher; clear success / replay (when, by whom) / wrong-store results. */
export default function RedeemPage() {
  return (
    <ClerkGuard>
      <Redeem />
    </ClerkGuard>
  );
}
