import { Button, Input, ScrollView, Switch, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import type { AdminStoreDto, DealDto } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { LoadError } from '../../components/load-error';
import { StateView } from '../../components/state-view';
import { storeTime } from '../../utils/format';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { centsText, formError, fromStoreTime, toCents, toInt } from '../shared/form';
import '../shared/admin.scss';

interface Form {
  title: string;
  productId: string;
  groupSize: string;
  groupPrice: string;
  soloPrice: string;
  leaderDiscount: string;
  durationMinutes: string;
  stockCap: string;
  perUserLimit: string;
  startAt: string;
  endAt: string;
  newMembersOnly: boolean;
  storeIds: string[];
}

const wall = (at: string | number | Date) => storeTime(at, 'YYYY-MM-DD HH:mm');

function blank(): Form {
  const now = Date.now();
  return {
    title: '',
    productId: '',
    groupSize: '3',
    groupPrice: '',
    soloPrice: '',
    leaderDiscount: '0',
    durationMinutes: '1440',
    stockCap: '100',
    perUserLimit: '1',
    startAt: wall(now),
    endAt: wall(now + 7 * 24 * 3600_000),
    newMembersOnly: false,
    storeIds: [],
  };
}

function fromDeal(d: DealDto): Form {
  return {
    title: d.title,
    productId: d.productId,
    groupSize: String(d.groupSize),
    groupPrice: centsText(d.groupPriceCents),
    soloPrice: centsText(d.soloPriceCents),
    leaderDiscount: centsText(d.leaderDiscountCents),
    durationMinutes: String(d.durationMinutes),
    stockCap: String(d.stockCap),
    perUserLimit: String(d.perUserLimit),
    startAt: wall(d.startAt),
    endAt: wall(d.endAt),
    newMembersOnly: d.newMembersOnly,
    storeIds: d.storeIds,
  };
}

const LABELS: Record<string, string> = {
  title: '活动名称',
  productId: '商品编号',
  storeIds: '门店',
  groupSize: '成团人数',
  groupPriceCents: '拼团价',
  soloPriceCents: '单买价',
  leaderDiscountCents: '团长优惠',
  durationMinutes: '成团时限',
  stockCap: '名额上限',
  perUserLimit: '每人限购',
  startAt: '开始时间',
  endAt: '结束时间',
};

/** A deal's fields as the form sends them (the product is added for a new deal). */
interface DealFields {
  title: string;
  storeIds: string[];
  groupSize: number;
  groupPriceCents: number;
  soloPriceCents: number;
  leaderDiscountCents: number;
  durationMinutes: number;
  stockCap: number;
  perUserLimit: number;
  newMembersOnly: boolean;
  startAt: string;
  endAt: string;
}

/** The form as a request body, or the first field a person must fix (named as on screen). */
function toBody(f: Form): { body: DealFields } | { error: string } {
  const num = (label: string, v: number | null) => (v === null ? label : null);
  const groupPriceCents = toCents(f.groupPrice);
  const soloPriceCents = toCents(f.soloPrice);
  const leaderDiscountCents = toCents(f.leaderDiscount || '0');
  const groupSize = toInt(f.groupSize);
  const durationMinutes = toInt(f.durationMinutes);
  const stockCap = toInt(f.stockCap);
  const perUserLimit = toInt(f.perUserLimit);
  const startAt = fromStoreTime(f.startAt);
  const endAt = fromStoreTime(f.endAt);
  if (!f.title.trim()) return { error: '请填写活动名称' };
  if (!f.storeIds.length) return { error: '请至少选择一家门店' };
  const bad =
    num('拼团价', groupPriceCents) ??
    num('单买价', soloPriceCents) ??
    num('团长优惠', leaderDiscountCents) ??
    num('成团人数', groupSize) ??
    num('成团时限', durationMinutes) ??
    num('名额上限', stockCap) ??
    num('每人限购', perUserLimit);
  if (bad) return { error: `请检查：${bad}` };
  if (!startAt || !endAt) return { error: '时间格式为 2026-12-03 09:30' };
  return {
    body: {
      title: f.title.trim(),
      storeIds: f.storeIds,
      groupSize: groupSize!,
      groupPriceCents: groupPriceCents!,
      soloPriceCents: soloPriceCents!,
      leaderDiscountCents: leaderDiscountCents!,
      durationMinutes: durationMinutes!,
      stockCap: stockCap!,
      perUserLimit: perUserLimit!,
      newMembersOnly: f.newMembersOnly,
      startAt,
      endAt,
    },
  };
}

function DealEdit() {
  const router = useRouter();
  const id = router.params.id;
  const [form, setForm] = useState<Form | null>(id ? null : blank());
  const [stores, setStores] = useState<AdminStoreDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [storesError, setStoresError] = useState<string | null>(null);
  const loadStores = () => {
    adminApi
      .stores()
      .then((r) => {
        setStores(r.stores);
        setStoresError(null);
      })
      .catch((e: Error) => setStoresError(`门店列表没有加载出来：${e.message}`));
  };

  useEffect(() => {
    loadStores();
    if (id) {
      adminApi
        .deal(id)
        .then((r) => setForm(fromDeal(r.deal)))
        .catch((e: Error) => setLoadError(e.message));
    }
  }, [id]);

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));
  const save = async () => {
    if (!form) return;
    const r = toBody(form);
    if ('error' in r) return setError(r.error);
    setSaving(true);
    setError(null);
    try {
      const saved = id ? await adminApi.patchDeal(id, r.body) : await adminApi.createDeal({ ...r.body, productId: form.productId.trim().toUpperCase() });
      void Taro.showToast({ title: id ? '已保存' : `已创建 ${saved.deal.id}`, icon: 'none' });
      setTimeout(() => void Taro.navigateBack(), 600);
    } catch (e) {
      setError(formError(e, LABELS));
    } finally {
      setSaving(false);
    }
  };

  const text = (label: string, k: Exclude<keyof Form, 'newMembersOnly' | 'storeIds'>, type: 'text' | 'digit' | 'number' = 'text', disabled = false) => (
    <View className='admin__field' key={k}>
      <Text className='admin__label'>{label}</Text>
      <Input className='admin__input' type={type} disabled={disabled} value={form?.[k] ?? ''} onInput={(e) => set(k, e.detail.value)} data-testid={`deal-${k}`} />
    </View>
  );
  return (
    <View className='admin'>
      <StateView loading={!form && !loadError} error={loadError} notFound={!!loadError}>
        {form && (
          <View className='card' data-testid='deal-form'>
            <Text className='admin__title'>{id ? `编辑 ${id}` : '新建拼团活动'}</Text>
            {text('活动名称', 'title')}
            {text('商品编号', 'productId', 'text', !!id)}
            <View className='admin__field'>
              <Text className='admin__label'>门店</Text>
              <LoadError text={storesError} onRetry={loadStores} testId='deal-stores-error' />
              <ScrollView scrollY className='admin__pick'>
                <Text
                  className={`admin__chip ${stores.length > 0 && form.storeIds.length === stores.length ? 'admin__chip--on' : ''}`}
                  onClick={() => set('storeIds', form.storeIds.length === stores.length ? [] : stores.map((s) => s.id))}
                  data-testid='deal-store-all'
                >
                  全部门店
                </Text>
                {stores.map((s) => {
                  const on = form.storeIds.includes(s.id);
                  return (
                    <Text
                      key={s.id}
                      className={`admin__chip ${on ? 'admin__chip--on' : ''}`}
                      onClick={() => set('storeIds', on ? form.storeIds.filter((x) => x !== s.id) : [...form.storeIds, s.id])}
                      data-testid={`deal-store-${s.id}`}
                    >
                      {s.name}
                    </Text>
                  );
                })}
              </ScrollView>
            </View>
            <Text className='admin__muted'>已选 {form.storeIds.length} 家门店</Text>
            {text('成团人数', 'groupSize', 'number')}
            {text('拼团价（元）', 'groupPrice', 'digit')}
            {text('单买价（元）', 'soloPrice', 'digit')}
            {text('团长优惠（元）', 'leaderDiscount', 'digit')}
            {text('成团时限（分钟）', 'durationMinutes', 'number')}
            {text('名额上限', 'stockCap', 'number')}
            {text('每人限购', 'perUserLimit', 'number')}
            {text('开始时间', 'startAt')}
            {text('结束时间', 'endAt')}
            <View className='admin__field'>
              <Text className='admin__label'>仅限新会员</Text>
              <Switch checked={form.newMembersOnly} onChange={(e) => set('newMembersOnly', e.detail.value)} />
            </View>
            <Text className='admin__muted'>时间按门店时间（北京时间）填写。</Text>
            {error && <View className='admin__bad' data-testid='deal-error'>{error}</View>}
            <Button className='btn-primary' loading={saving} disabled={saving} onClick={() => void save()} data-testid='save-deal'>
              {id ? '保存修改' : '创建活动'}
            </Button>
          </View>
        )}
      </StateView>
    </View>
  );
}

/** Create a deal, or edit one (`?id=`): prices in 元, times on the store's clock, stores as chips. */
export default function AdminDealEdit() {
  return (
    <AdminGuard>
      <DealEdit />
    </AdminGuard>
  );
}
