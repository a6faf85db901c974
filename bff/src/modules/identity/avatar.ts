import { createHash } from 'node:crypto';

const COLORS = ['#f06a5b', '#4caf50', '#1e88e5', '#ff9800', '#8e24aa', '#00897b'];

/** A stable nickname for a new user, 邻里用户 plus four digits derived from the openid. */
export function defaultNickname(openid: string): string {
  const n = parseInt(createHash('sha256').update(openid).digest('hex').slice(0, 8), 16) % 10_000;
  return `邻里用户${String(n).padStart(4, '0')}`;
}

/** A round SVG avatar as a data URI: a colour picked from the openid and the character 邻. */
export function defaultAvatar(openid: string): string {
  const color = COLORS[parseInt(createHash('sha256').update(openid).digest('hex').slice(8, 10), 16) % COLORS.length];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<circle cx="32" cy="32" r="32" fill="${color}"/>` +
    `<text x="32" y="42" font-size="28" fill="#fff" text-anchor="middle" font-family="sans-serif">邻</text></svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** 13800000001 → 138****0001. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
