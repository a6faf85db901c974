import { MESSAGE_TEMPLATES, checkKeyword, keywordKind, type MessageEventType } from '@linli/contracts';

/** The `data` of a subscription message as the host takes it: `{thing1: {value: '…'}, …}`. */
export type TemplateData = Record<string, { value: string }>;

export type Rendered = { ok: true; templateId: string; data: TemplateData } | { ok: false; error: string };

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026年11月22日 13:05` in China time, the format the host shows for `time` keywords. */
export function formatTime(d: Date): string {
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

/** Integer cents as the host's `amount` keyword: `¥12.50`. */
export function formatCents(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

function truncate(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function shapeValue(key: string, source: string, raw: unknown, eventAt: Date): string {
  const kind = keywordKind(key);
  const str = raw instanceof Date ? raw.toISOString() : String(raw);
  switch (kind) {
    case 'time':
    case 'date': {
      if (/[年:]/.test(str) && !/^\d{4}-\d{2}-\d{2}T/.test(str)) return str;
      const d = raw instanceof Date ? raw : new Date(str);
      const t = Number.isNaN(d.getTime()) ? eventAt : d;
      return kind === 'date' ? formatTime(t).split(' ')[0] : formatTime(t);
    }
    case 'amount':
      // Money is integer cents in Linli: a bare integer (or a …Cents field) is cents.
      return /^\d+$/.test(str) || source.endsWith('Cents') ? formatCents(Number(str)) : str;
    case 'thing':
      return truncate(str, 20);
    case 'name':
      return truncate(str, 10);
    case 'phrase':
      return [...str].slice(0, 5).join('');
    case 'character_string':
      return str.replace(/[^A-Za-z0-9_.:#-]/g, '').slice(0, 32);
    case 'number':
      return str.replace(/[^0-9.]/g, '');
    default:
      return str;
  }
}

/**
 * Fills a template's keywords from an outbox entry's `data` (semantic names such as `productName`,
 * or the keywords themselves), applying the table's fallbacks and the host's value rules
 * (things cut to 20 characters, times in China time, cents as `¥x.yy`). Fails when a keyword with no
 * fallback has no value, so a bad entry is reported instead of sent half-empty.
 */
export function renderTemplate(type: MessageEventType, data: Record<string, unknown>, ctx: { key: string; eventAt: Date }): Rendered {
  const tpl = MESSAGE_TEMPLATES[type];
  const out: TemplateData = {};
  for (const f of tpl.fields) {
    let source = f.key;
    let raw: unknown = data[f.key];
    for (const name of f.from) {
      if (raw !== undefined && raw !== null && raw !== '') break;
      source = name;
      raw = data[name];
    }
    if (raw === undefined || raw === null || raw === '') {
      if (f.fallback === undefined) return { ok: false, error: `TEMPLATE_DATA_MISSING: ${f.key} (${f.label}) needs one of ${f.from.join(', ')}` };
      raw = f.fallback === '$createdAt' ? ctx.eventAt : f.fallback === '$refId' ? (ctx.key.split(':')[1] ?? ctx.key) : f.fallback;
      source = f.fallback;
    }
    const value = shapeValue(f.key, source, raw, ctx.eventAt);
    const problem = checkKeyword(f.key, value);
    if (problem) return { ok: false, error: `TEMPLATE_DATA_INVALID: ${problem}` };
    out[f.key] = { value };
  }
  return { ok: true, templateId: tpl.templateId, data: out };
}
