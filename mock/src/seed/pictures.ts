// The demo catalog's product pictures: a Fluent Emoji Flat illustration (MIT, Microsoft) on a tile
// tinted in the category's colour; where the illustration only stands in for the item, the tile also
// carries the item's full name. Written to files by `npm run pictures -w mock` (pictures-cli.ts).
import { createHash } from 'node:crypto';
import { getIconData, iconToSVG } from '@iconify/utils';
import { icons as fluentEmojiFlat, type IconifyJSON } from '@iconify-json/fluent-emoji-flat';
import { CATEGORIES, type CategorySeed, type ItemSeed } from './data.js';

const SIZE = 240;
const FONT = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif";

/** `#rrggbb` mixed with white (`amount` 0 = the colour, 1 = white) or, when negative, with black. */
export function mix(hex: string, amount: number): string {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const target = amount >= 0 ? 255 : 0;
  const a = Math.abs(amount);
  return `#${rgb.map((c) => Math.round(c + (target - c) * a).toString(16).padStart(2, '0')).join('')}`;
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The icon's SVG body and viewBox, from the icon set; throws for a name the set lacks. */
function icon(set: IconifyJSON, name: string): { body: string; viewBox: string } {
  const data = getIconData(set, name);
  if (!data) throw new Error(`icon ${set.prefix}:${name} not found`);
  const built = iconToSVG(data);
  return { body: built.body, viewBox: built.attributes.viewBox };
}

/**
 * The picture of one catalog item as SVG text. Deterministic (same item and set → same bytes), so
 * its content hash names it for good. The full name is drawn (never cut) when the icon stands in.
 */
export function productPictureSvg(item: ItemSeed, category: Pick<CategorySeed, 'color'>, set: IconifyJSON): string {
  const { body, viewBox } = icon(set, item.icon);
  const bg = mix(category.color, 0.88);
  const plate = mix(category.color, 0.72);
  const label = !item.exact;
  const iconSize = label ? 132 : 168;
  const cy = label ? 100 : SIZE / 2;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    `<title>${escapeXml(item.name)}</title>`,
    `<rect width="${SIZE}" height="${SIZE}" fill="${bg}"/>`,
    `<circle cx="${SIZE / 2}" cy="${cy}" r="${label ? 82 : 100}" fill="${plate}"/>`,
    `<svg x="${(SIZE - iconSize) / 2}" y="${cy - iconSize / 2}" width="${iconSize}" height="${iconSize}" viewBox="${viewBox}">${body}</svg>`,
  ];
  if (label) {
    const chars = [...item.name].length;
    const fontSize = Math.min(30, Math.floor(192 / chars));
    const width = Math.min(SIZE - 24, chars * fontSize + 36);
    parts.push(
      `<rect x="${(SIZE - width) / 2}" y="186" width="${width}" height="42" rx="21" fill="#fff" fill-opacity="0.92"/>`,
      `<text x="${SIZE / 2}" y="${207 + fontSize * 0.36}" font-size="${fontSize}" font-weight="600" font-family="${FONT}" fill="${mix(category.color, -0.45)}" text-anchor="middle">${escapeXml(item.name)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The file name of a picture: the first 16 hex digits of its SHA-256, so a changed picture gets a new URL. */
export function pictureFileName(svg: string): string {
  return `${createHash('sha256').update(svg).digest('hex').slice(0, 16)}.svg`;
}

/** Every catalog item's picture: file name → SVG, and item name → file name (catalog order). */
export function buildPictures(set: IconifyJSON = fluentEmojiFlat): { files: Map<string, string>; manifest: Record<string, string> } {
  const files = new Map<string, string>();
  const manifest: Record<string, string> = {};
  for (const c of CATEGORIES) {
    for (const item of c.items) {
      const svg = productPictureSvg(item, c, set);
      const name = pictureFileName(svg);
      files.set(name, svg);
      manifest[item.name] = name;
    }
  }
  return { files, manifest };
}
