/** A small SVG placeholder as a data URI: a coloured tile with an emoji and up to four characters. */
export function placeholderSvg(color: string, icon: string, label: string, size = 120): string {
  const text = [...label].slice(0, 4).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 120 120">` +
    `<rect width="120" height="120" rx="12" fill="${color}"/>` +
    `<text x="60" y="58" font-size="40" text-anchor="middle">${icon}</text>` +
    `<text x="60" y="96" font-size="18" fill="#fff" text-anchor="middle" font-family="sans-serif">${text}</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
