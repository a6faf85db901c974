import { Button, Input, Text, View } from '@tarojs/components';
import type { MemberScanPreviewResponse, MemberScanResponse } from '@linli/contracts';
import { useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { host } from '../../host';
import { api } from '../../services/api';
import { yuan } from '../../utils/format';
import { useClerkStoreId } from '../shared/clerk-store';
import { StoreSwitcher } from '../shared/store-switcher';
import './index.scss';

function MemberScan() {
  const [storeId] = useClerkStoreId();
  const [memberCode, setMemberCode] = useState('');
  const [receiptNo, setReceiptNo] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<MemberScanPreviewResponse | null>(null);
  const [result, setResult] = useState<MemberScanResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scan = async () => {
    const v = await host.scan();
    if (v) setMemberCode(v);
  };

  const check = async () => {
    const yuan = Number(amount);
    if (!memberCode.trim()) return setError('请先扫描或输入会员码');
    if (!receiptNo.trim()) return setError('请填写小票号');
    if (!(yuan > 0)) return setError('请填写小票金额');
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setPreview(await api.memberScanPreview({ storeId, memberCode: memberCode.trim(), receiptNo: receiptNo.trim(), amount: Math.round(yuan * 100) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api.memberScan({ storeId: preview.storeId, receiptNo: preview.receiptNo, amount: preview.amountCents, confirmToken: preview.confirmToken }));
      setPreview(null);
      setMemberCode('');
      setReceiptNo('');
      setAmount('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='mscan'>
      <StoreSwitcher />
      <View className='card mscan__form'>
        {host.target === 'weapp' && (
          <Button className='btn-primary' onClick={() => void scan()} data-testid='scan-member'>
            扫顾客会员码
          </Button>
        )}
        <Text className='mscan__label'>会员码</Text>
        <Input className='mscan__input' placeholder='扫码或输入顾客的会员码' value={memberCode} onInput={(e) => setMemberCode(e.detail.value)} data-testid='member-code-input' />
        <Text className='mscan__label'>小票号</Text>
        <Input className='mscan__input' placeholder='如 R-20261202-0001' value={receiptNo} onInput={(e) => setReceiptNo(e.detail.value)} data-testid='receipt-input' />
        <Text className='mscan__label'>小票金额（元）</Text>
        <Input className='mscan__input' type='digit' placeholder='0.00' value={amount} onInput={(e) => setAmount(e.detail.value)} data-testid='amount-input' />
        <Button className='btn-primary' loading={busy && !preview} disabled={busy || !!preview} onClick={() => void check()} data-testid='credit'>
          下一步：核对会员
        </Button>
      </View>
      {preview && (
        <View className='card mscan__confirm' data-testid='credit-confirm'>
          <Text className='mscan__title'>请与顾客核对后确认</Text>
          <Text>会员：{preview.member.nickname} · {preview.member.level.name}</Text>
          <Text>卡号：{preview.member.cardNo}</Text>
          <Text>小票：{preview.receiptNo} · {yuan(preview.amountCents)}</Text>
          <Text className='mscan__points' data-testid='confirm-points'>
            将积 {preview.points} 分
          </Text>
          <Text className='mscan__cap'>每张小票最多 {yuan(preview.capCents)}</Text>
          <View className='mscan__row'>
            <Button className='mscan__cancel' disabled={busy} onClick={() => setPreview(null)}>
              返回修改
            </Button>
            <Button className='btn-primary mscan__ok-btn' loading={busy} disabled={busy} onClick={() => void confirm()} data-testid='credit-confirm-btn'>
              确认积分
            </Button>
          </View>
        </View>
      )}
      {result && (
        <View className='card mscan__ok' data-testid='credit-ok'>
          <Text className='mscan__title'>
            {result.pointsCredited > 0 ? `✓ 已为 ${result.member.nickname} 积 ${result.pointsCredited} 分` : `${result.member.nickname} 本单无积分`}
          </Text>
          <Text>
            {result.member.level.name} · 当前积分 {result.balance}
          </Text>
        </View>
      )}
      {error && (
        <View className='card mscan__bad' data-testid='credit-error'>
          {error}
        </View>
      )}
    </View>
  );
}

/** Clerk: identify a member by their rotating code, confirm member and points, credit a till receipt once. */
export default function MemberScanPage() {
  return (
    <ClerkGuard>
      <MemberScan />
    </ClerkGuard>
  );
}
