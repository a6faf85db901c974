import { Button, Input, Text, View } from '@tarojs/components';
import type { MemberScanResponse } from '@linli/contracts';
import { useState } from 'react';
import { ClerkGuard } from '../../components/clerk-guard';
import { host } from '../../host';
import { api } from '../../services/api';
import { useSession } from '../../store/session';
import './index.scss';

function MemberScan() {
  const session = useSession();
  const storeId = session.user?.clerkStoreIds[0] ?? '';
  const [memberCode, setMemberCode] = useState('');
  const [receiptNo, setReceiptNo] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MemberScanResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scan = async () => {
    const v = await host.scan();
    if (v) setMemberCode(v);
  };

  const submit = async () => {
    const yuanAmount = Number(amount);
    if (!memberCode.trim() || !receiptNo.trim() || !(yuanAmount > 0)) {
      setError('请填写会员码、小票号和金额');
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.memberScan({ storeId, memberCode: memberCode.trim(), receiptNo: receiptNo.trim(), amount: Math.round(yuanAmount * 100) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='mscan'>
      <View className='card mscan__form'>
        {host.target === 'weapp' && (
          <Button className='btn-primary' onClick={() => void scan()} data-testid='scan-member'>
            扫顾客会员码
          </Button>
        )}
        <Input className='mscan__input' placeholder='会员码' value={memberCode} onInput={(e) => setMemberCode(e.detail.value)} data-testid='member-code-input' />
        <Input className='mscan__input' placeholder='小票号' value={receiptNo} onInput={(e) => setReceiptNo(e.detail.value)} data-testid='receipt-input' />
        <Input className='mscan__input' type='digit' placeholder='小票金额（元）' value={amount} onInput={(e) => setAmount(e.detail.value)} data-testid='amount-input' />
        <Button className='btn-primary' loading={busy} disabled={busy} onClick={() => void submit()} data-testid='credit'>
          积分
        </Button>
      </View>
      {result && (
        <View className='card mscan__ok' data-testid='credit-ok'>
          <Text className='mscan__title'>
            {result.pointsCredited > 0 ? `✓ 已为 ${result.member.nickname} 积 ${result.pointsCredited} 分` : `${result.member.nickname} 本单无积分`}
          </Text>
          <Text>
            {result.member.level.name} · 卡号 {result.member.cardNo} · 当前积分 {result.balance}
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

/** Clerk: identify a member by their rotating code and credit a till receipt once. */
export default function MemberScanPage() {
  return (
    <ClerkGuard>
      <MemberScan />
    </ClerkGuard>
  );
}
