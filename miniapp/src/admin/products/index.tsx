import { Button, Input, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { AdminInventoryResponse } from '@linli/contracts';
import { useEffect, useState } from 'react';
import { LoadError } from '../../components/load-error';
import { StateView } from '../../components/state-view';
import { useScreenData } from '../../utils/use-screen-data';
import { api } from '../../services/api';
import { messageFor } from '../../services/error-messages';
import { yuan } from '../../utils/format';
import { adminApi } from '../shared/admin-api';
import { AdminGuard } from '../shared/admin-guard';
import { Field } from '../shared/field';
import { centsText, formError, toCents, toInt } from '../shared/form';
import { StoreChips } from '../shared/store-chips';
import '../shared/admin.scss';

type Item = AdminInventoryResponse['items'][number];

/** One product's price and listing at the store, edited in place. */
function PriceEditor(props: { storeId: string; item: Item; onSaved: () => void; onCancel: () => void }) {
  const inv = props.item.inventory;
  const [price, setPrice] = useState(inv ? centsText(inv.priceCents) : centsText(props.item.basePriceCents));
  const [member, setMember] = useState(inv ? centsText(inv.memberPriceCents) : '');
  const [active, setActive] = useState(inv?.active ?? true);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const priceCents = toCents(price);
    const memberPriceCents = member.trim() ? toCents(member) : undefined;
    if (priceCents === null || priceCents === 0) return setError('请填写售价，例如 12.80');
    if (memberPriceCents === null) return setError('会员价格式不对，例如 11.50');
    try {
      await adminApi.patchInventory(props.storeId, props.item.productId, { priceCents, ...(memberPriceCents !== undefined ? { memberPriceCents } : {}), active });
      void Taro.showToast({ title: '已保存', icon: 'success' });
      props.onSaved();
    } catch (e) {
      setError(formError(e, { priceCents: '售价', memberPriceCents: '会员价' }));
    }
  };
  return (
    <View className='admin__grow' data-testid='price-editor'>
      <View className='admin__field'>
        <Text className='admin__label'>售价（元）</Text>
        <Input className='admin__input' type='digit' value={price} onInput={(e) => setPrice(e.detail.value)} data-testid='edit-price' />
      </View>
      <View className='admin__field'>
        <Text className='admin__label'>会员价（元）</Text>
        <Input className='admin__input' type='digit' value={member} onInput={(e) => setMember(e.detail.value)} data-testid='edit-member-price' />
      </View>
      <View className='admin__field'>
        <Text className='admin__label'>上架</Text>
        <Switch checked={active} onChange={(e) => setActive(e.detail.value)} data-testid='edit-active' />
      </View>
      {error && <Text className='admin__bad'>{error}</Text>}
      <View className='admin__actions'>
        <Button size='mini' className='btn-primary' onClick={() => void save()} data-testid='save-price'>
          保存
        </Button>
        <Button size='mini' onClick={props.onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}

function NewProduct(props: { onCreated: () => void }) {
  const [title, setTitle] = useState('');
  const [unit, setUnit] = useState('份');
  const [categories, setCategories] = useState<{ id: string; name: string }[]>([]);
  const [categoryId, setCategoryId] = useState('');
  const [categoriesError, setCategoriesError] = useState<string | null>(null);
  const loadCategories = () => {
    api
      .categories()
      .then((r) => {
        setCategories(r.categories);
        setCategoryId((c) => c || r.categories[0]?.id || '');
        setCategoriesError(null);
      })
      .catch((e: Error) => setCategoriesError(`分类没有加载出来：${e.message}`));
  };
  useEffect(loadCategories, []);
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('0');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const basePriceCents = toCents(price);
    const n = toInt(stock);
    if (!title.trim()) return setError('请填写商品名称');
    if (basePriceCents === null || basePriceCents === 0) return setError('请填写售价，例如 12.80');
    if (n === null) return setError('库存请填整数');
    try {
      const r = await adminApi.createProduct({ title: title.trim(), unit, categoryId, basePriceCents, stock: n });
      void Taro.showToast({ title: `已新建 ${r.product.id}`, icon: 'none' });
      setTitle('');
      setPrice('');
      props.onCreated();
    } catch (e) {
      setError(formError(e, { title: '名称', unit: '单位', categoryId: '分类', basePriceCents: '售价', stock: '库存' }));
    }
  };
  return (
    <View className='card' data-testid='new-product'>
      <Text className='admin__title'>新建商品（上架到所有营业门店）</Text>
      <Field label='名称' value={title} onInput={setTitle} id='np-title' />
      <Field label='单位' value={unit} onInput={setUnit} id='np-unit' />
      <Field label='售价（元）' value={price} onInput={setPrice} id='np-price' type='digit' />
      <Field label='初始库存' value={stock} onInput={setStock} id='np-stock' type='number' />
      <LoadError text={categoriesError} onRetry={loadCategories} testId='np-category-error' />
      <View className='admin__chips' data-testid='np-category'>
        {categories.map((c) => (
          <Text key={c.id} className={`admin__chip ${c.id === categoryId ? 'admin__chip--on' : ''}`} onClick={() => setCategoryId(c.id)}>
            {c.name}
          </Text>
        ))}
      </View>
      {error && <Text className='admin__bad'>{error}</Text>}
      <Button className='btn-primary' onClick={() => void save()} data-testid='np-save'>
        新建商品
      </Button>
    </View>
  );
}

function Products() {
  const [storeId, setStoreId] = useState<string | null>(null);
  const { data, error, reload: load } = useScreenData(storeId ? () => adminApi.inventory(storeId) : null, [storeId]);
  const [deltas, setDeltas] = useState<Record<string, string>>({});
  const [results, setResults] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const pending = Object.entries(deltas).filter(([, v]) => v.trim() !== '');
  const saveStock = async () => {
    if (!storeId) return;
    const edits: { productId: string; stockDelta: number }[] = [];
    const bad: Record<string, string> = {};
    for (const [productId, v] of pending) {
      const n = toInt(v, true);
      if (n === null || n === 0) bad[productId] = '请填 +10 或 -3 这样的整数';
      else edits.push({ productId, stockDelta: n });
    }
    setResults(bad);
    if (!edits.length) return;
    setSaving(true);
    try {
      const r = await adminApi.bulkStock(storeId, edits);
      const out: Record<string, string> = { ...bad };
      for (const x of r.results) out[x.productId] = x.ok ? `✓ 库存 ${x.stock}` : messageFor(x.code);
      setResults(out);
      setDeltas(Object.fromEntries(r.results.filter((x) => !x.ok).map((x) => [x.productId, deltas[x.productId]])));
      load();
    } catch (e) {
      // The whole request failed (each row's own refusal is in `results`): said where the button is.
      void Taro.showToast({ title: (e as Error).message, icon: 'none' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <View className='admin'>
      <View className='card'>
        <Text className='admin__title'>门店</Text>
        <StoreChips value={storeId} onChange={(id) => { setStoreId(id); setDeltas({}); setResults({}); }} />
        <Text className='admin__muted'>库存按“增减数量”调整（如 +20、-3），同时发生的销售不会被覆盖。</Text>
      </View>
      <StateView loading={!data && !error} error={error} onRetry={load}>
        <View className='card' data-testid='inventory-list'>
          {data?.items.map((it) => (
            <View key={it.productId} className='admin__row' data-testid='inventory-row' data-product={it.productId}>
              {editing === it.productId && storeId ? (
                <PriceEditor storeId={storeId} item={it} onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); load(); }} />
              ) : (
                <>
                  <View className='admin__grow' onClick={() => setEditing(it.productId)}>
                    <Text>{it.title}</Text>
                    {it.inventory ? (
                      <Text className='admin__muted'>
                        {yuan(it.inventory.priceCents)} · 会员 {yuan(it.inventory.memberPriceCents)} · 库存 <Text data-testid='stock'>{it.inventory.stock}</Text>{' '}
                        <Text className={`admin__tag ${it.inventory.active ? 'admin__tag--on' : 'admin__tag--off'}`}>{it.inventory.active ? '在售' : '已下架'}</Text>
                      </Text>
                    ) : (
                      <Text className='admin__muted'>本店未上架</Text>
                    )}
                    {results[it.productId] && <Text className='admin__muted' data-testid='stock-result'>{results[it.productId]}</Text>}
                  </View>
                  {it.inventory && (
                    <Input
                      className='admin__input admin__input--small'
                      type='text'
                      placeholder='±数量'
                      value={deltas[it.productId] ?? ''}
                      onInput={(e) => setDeltas((d) => ({ ...d, [it.productId]: e.detail.value }))}
                      data-testid='stock-delta'
                    />
                  )}
                </>
              )}
            </View>
          ))}
        </View>
        <View className='card'>
          <Button className='btn-primary' disabled={!pending.length || saving} loading={saving} onClick={() => void saveStock()} data-testid='save-stock'>
            保存库存调整（{pending.length} 项）
          </Button>
        </View>
        <NewProduct onCreated={load} />
      </StateView>
    </View>
  );
}

/** Products with this store's price, stock and listing: a bulk stock edit (deltas), price edits, a new product. */
export default function AdminProducts() {
  return (
    <AdminGuard>
      <Products />
    </AdminGuard>
  );
}
