import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { LedgerEntryDto } from '@linli/contracts';
import { useCallback, useEffect, useState } from 'react';
import { StateView } from '../../components/state-view';
import { api } from '../../services/api';
import { shortTime } from '../../utils/format';
import { pointsReasonText } from '../../utils/points-reason';
import './index.scss';

/** Points history: the ledger, newest first, with infinite scroll. */
export default function PointsPage() {
  const [entries, setEntries] = useState<LedgerEntryDto[]>([]);
  const [balance, setBalance] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (after: string | null = null) => {
    if (after) setMore(true);
    try {
      const r = await api.points(after);
      setBalance(r.balance);
      setEntries((prev) => (after ? [...prev, ...r.entries] : r.entries));
      setCursor(r.nextCursor);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
      setMore(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });
  useReachBottom(() => {
    if (cursor && !more) void load(cursor);
  });

  return (
    <View className='points'>
      <View className='points__head'>
        <Text className='points__balance' data-testid='balance'>{balance ?? '—'}</Text>
        <Text className='points__label'>可用积分</Text>
      </View>
      <StateView loading={loading} error={error} empty={entries.length === 0} emptyText='还没有积分记录，到店消费出示会员码即可积分' onRetry={() => void load()}>
        <View className='card'>
          {entries.map((e) => {
            const why = pointsReasonText(e.reason, e.refId);
            return (
              <View key={e.id} className='points__row' data-testid='points-row'>
                <View className='points__what'>
                  <Text>{why.title}</Text>
                  <Text className='muted'>
                    {shortTime(e.createdAt)}
                    {why.detail ? ` · ${why.detail}` : ''}
                  </Text>
                </View>
                <Text className={e.points >= 0 ? 'points__plus' : 'points__minus'}>{e.points >= 0 ? `+${e.points}` : e.points}</Text>
              </View>
            );
          })}
        </View>
        <View className='points__more'>{more ? '加载中…' : cursor ? '上拉加载更多' : '没有更多了'}</View>
      </StateView>
    </View>
  );
}
