import { Axis, Chart, Interval, Legend, Line, TextGuide, jsx } from '@antv/f2';
import type { FunnelCounts, GroupStatsResponse, SalesStatsResponse } from '@linli/contracts';
import { yuan } from '../../utils/format';
import type { ChartTree } from './f2-chart';

/** F2's element factory, loosely typed: its own typings expect F2's JSX compiler, which this React app does not run. */
const h = jsx as unknown as (type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) => ReturnType<ChartTree>;

// The console's three charts as AntV F2 trees (F2's own `jsx`, called as a function: the app's JSX is React's).

const PALETTE = ['#ff5a1f', '#ff8a4c', '#ffb27d', '#f6c89f', '#2e7d32', '#1565c0', '#6a1b9a', '#00838f'];

export const FUNNEL_STAGES: { key: keyof FunnelCounts; label: string }[] = [
  { key: 'shares', label: '分享' },
  { key: 'visits', label: '访问' },
  { key: 'joins', label: '参团' },
  { key: 'paid', label: '支付' },
  { key: 'pickedUp', label: '核销' },
];

/** shares → visits → joins → paid → collected: one funnel band per stage, its count written on it. */
export function funnelTree(totals: FunnelCounts): ChartTree {
  // A stage at 0 still gets a sliver, so the funnel keeps its five bands.
  const top = Math.max(1, ...FUNNEL_STAGES.map((s) => totals[s.key]));
  // Transposed, the first category is drawn at the bottom: list the stages from the last, so 分享 is on top.
  const data = FUNNEL_STAGES.map((s) => ({ stage: s.label, count: totals[s.key], band: Math.max(totals[s.key], top * 0.04) })).reverse();
  return () =>
    h(
      Chart,
      { data, coord: { transposed: true }, scale: { band: { min: 0 } } },
      h(Interval, {
        x: 'stage',
        y: 'band',
        adjust: 'symmetric',
        shape: 'funnel',
        color: { field: 'stage', range: PALETTE.slice(0, 5) },
        showLabel: true,
        labelCfg: {
          label: (d: { stage: string }) => ({ text: d.stage, fill: '#333', fontSize: 12 }),
          guide: (d: { count: number }) => ({ text: String(d.count), fill: '#fff', fontSize: 13, fontWeight: 'bold' }),
        },
      }),
    );
}

/** Sales (元) per store per day: one bar per store and day, side by side. */
export function salesTree(stats: SalesStatsResponse, metric: 'salesCents' | 'orders'): ChartTree {
  const data = stats.rows.map((r) => ({ day: r.day.slice(5), store: r.storeName, value: metric === 'salesCents' ? r.salesCents : r.orders }));
  return () =>
    h(
      Chart,
      { data, scale: { value: { min: 0, nice: true } } },
      h(Axis, { field: 'day' }),
      // Sales are plotted in cents and labelled in 元 by the one money formatter.
      h(Axis, { field: 'value', formatter: metric === 'salesCents' ? (v: number) => yuan(v) : undefined }),
      metric === 'salesCents'
        ? h(Interval, { x: 'day', y: 'value', color: { field: 'store', range: PALETTE.slice(4) }, adjust: { type: 'dodge', marginRatio: 0.1 } })
        : h(Line, { x: 'day', y: 'value', color: { field: 'store', range: PALETTE.slice(4) } }),
      h(Legend, { position: 'top' }),
    );
}

/** Share of decided groups that filled, per deal (0–100 %), the rate written at each bar. */
export function groupRateTree(stats: GroupStatsResponse): ChartTree {
  const data = stats.deals
    .filter((d) => d.succeeded + d.failed + d.open > 0)
    .map((d) => ({ deal: `${d.dealId} ${d.title.slice(0, 6)}`, rate: Math.round(d.successRate * 100) }));
  return () =>
    h(
      Chart,
      { data, coord: { transposed: true }, scale: { rate: { min: 0, max: 100 } } },
      h(Axis, { field: 'deal' }),
      h(Axis, { field: 'rate' }),
      h(Interval, { x: 'deal', y: 'rate', color: '#2e7d32' }),
      ...data.map((d) =>
        h(TextGuide, { records: [d], content: `${d.rate}%`, offsetX: 6, style: { fill: '#333', fontSize: 11, textBaseline: 'middle' } }),
      ),
    );
}

export const funnelCaption = (t: FunnelCounts) => FUNNEL_STAGES.map((s) => `${s.label} ${t[s.key]}`).join(' → ');
