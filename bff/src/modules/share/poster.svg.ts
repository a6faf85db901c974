import { POSTER_SIZE } from '@linli/contracts';
import QRCode from 'qrcode';

/** Everything a poster shows, already priced and worded by the BFF. */
export interface PosterContent {
  brand: string;
  storeName: string;
  storeAddress: string;
  storeHours: string;
  title: string;
  badge: string | null;
  priceLabel: string;
  priceCents: number;
  /** Struck through beside the price when higher (a deal's shelf price). */
  shelfPriceCents: number | null;
  /** The product picture as a data URI (SVG or PNG), or null for a neutral tile. */
  imageDataUri: string | null;
  /** What the code square holds: a QR code of this link, or the host's mini-program code (a PNG). */
  code: { kind: 'link'; link: string } | { kind: 'wxacode'; png: Buffer };
  hint: string;
}

export const FONT_FAMILY = 'Noto Sans CJK SC';
const W = POSTER_SIZE.width;
const H = POSTER_SIZE.height;
const ORANGE = '#ff5a1f';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const yuan = (cents: number) => `¥${(cents / 100).toFixed(2)}`;

/** Rough advance of a character in em: CJK and full-width ones are square, Latin ones about half. */
const advance = (ch: string) => (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.56);

/** Splits text into at most `maxLines` lines of `maxEm` ems; the last one ends in … when cut. */
export function wrap(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of [...text]) {
    const a = advance(ch);
    if (width + a > maxEm && line) {
      lines.push(line);
      if (lines.length === maxLines) {
        const last = lines[maxLines - 1];
        lines[maxLines - 1] = `${[...last].slice(0, -1).join('')}…`;
        return lines;
      }
      line = '';
      width = 0;
    }
    line += ch;
    width += a;
  }
  if (line) lines.push(line);
  return lines;
}

/** A QR code of `text` as one SVG path (dark modules), `size` pixels square with a 2-module quiet zone. */
export function qrSvg(text: string, x: number, y: number, size: number): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const scale = size / (n + quiet * 2);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  }
  return `<g transform="translate(${x} ${y}) scale(${scale})"><rect width="${n + quiet * 2}" height="${n + quiet * 2}" fill="#fff"/><path d="${d}" fill="#000" shape-rendering="crispEdges"/></g>`;
}

const text = (x: number, y: number, size: number, fill: string, s: string, extra = '') =>
  `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${size}" fill="${fill}" ${extra}>${esc(s)}</text>`;

/** The poster as SVG (750 × 1200): brand and store, the product picture, name, price, and the code to scan. */
export function posterSvg(p: PosterContent): string {
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="#fff7f2"/>`);
  parts.push(`<rect width="${W}" height="120" fill="${ORANGE}"/>`);
  parts.push(text(40, 76, 40, '#fff', p.brand, 'font-weight="bold"'));
  parts.push(text(W - 40, 76, 28, '#fff', wrap(p.storeName, 12, 1)[0] ?? '', 'text-anchor="end"'));

  // The product card.
  parts.push(`<rect x="30" y="150" width="${W - 60}" height="760" rx="24" fill="#fff"/>`);
  parts.push(`<clipPath id="pic"><rect x="50" y="170" width="${W - 100}" height="470" rx="16"/></clipPath>`);
  parts.push(`<rect x="50" y="170" width="${W - 100}" height="470" rx="16" fill="#f2f2f2"/>`);
  if (p.imageDataUri) {
    parts.push(`<image x="50" y="170" width="${W - 100}" height="470" href="${p.imageDataUri}" preserveAspectRatio="xMidYMid meet" clip-path="url(#pic)"/>`);
  }
  if (p.badge) {
    parts.push(`<rect x="66" y="186" width="${Math.ceil(wrap(p.badge, 20, 1)[0].length * 26 + 36)}" height="48" rx="24" fill="${ORANGE}"/>`);
    parts.push(text(84, 220, 26, '#fff', p.badge, 'font-weight="bold"'));
  }
  wrap(p.title, 16, 2).forEach((line, i) => parts.push(text(60, 706 + i * 54, 40, '#222', line, 'font-weight="bold"')));
  parts.push(text(60, 862, 28, ORANGE, p.priceLabel));
  parts.push(text(60 + p.priceLabel.length * 28 + 12, 866, 68, ORANGE, yuan(p.priceCents), 'font-weight="bold"'));
  if (p.shelfPriceCents !== null && p.shelfPriceCents > p.priceCents) {
    parts.push(text(W - 60, 862, 28, '#999', `门店价 ${yuan(p.shelfPriceCents)}`, 'text-anchor="end" text-decoration="line-through"'));
  }

  // The store and the code.
  const codeSize = 230;
  const cx = W - 40 - codeSize;
  const cy = 940;
  parts.push(`<rect x="${cx - 10}" y="${cy - 10}" width="${codeSize + 20}" height="${codeSize + 20}" rx="16" fill="#fff"/>`);
  if (p.code.kind === 'link') parts.push(qrSvg(p.code.link, cx, cy, codeSize));
  else parts.push(`<image x="${cx}" y="${cy}" width="${codeSize}" height="${codeSize}" href="data:image/png;base64,${p.code.png.toString('base64')}"/>`);
  parts.push(text(40, 990, 32, '#222', wrap(p.storeName, 13, 1)[0] ?? '', 'font-weight="bold"'));
  wrap(p.storeAddress, 17, 2).forEach((line, i) => parts.push(text(40, 1036 + i * 34, 24, '#666', line)));
  if (p.storeHours) parts.push(text(40, 1114, 24, '#666', `营业时间 ${p.storeHours}`));
  parts.push(text(40, 1160, 26, ORANGE, p.hint, 'font-weight="bold"'));

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join('')}</svg>`;
}
