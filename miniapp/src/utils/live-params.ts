/**
 * The query of `hash` (an h5 hash route such as `#/pages/group/index?id=g_1`) when it names the page
 * at `pagePath`, else null. Decoded; repeated keys keep the last value.
 */
export function paramsFromHash(hash: string, pagePath: string): Record<string, string> | null {
  const route = hash.replace(/^#/, '');
  const q = route.indexOf('?');
  const path = (q < 0 ? route : route.slice(0, q)).replace(/^\/?/, '/');
  if (path !== pagePath.replace(/^\/?/, '/').split('?')[0]) return null;
  const out: Record<string, string> = {};
  if (q >= 0) {
    for (const part of route.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      const v = eq < 0 ? '' : part.slice(eq + 1);
      try {
        out[decodeURIComponent(k)] = decodeURIComponent(v.replace(/\+/g, ' '));
      } catch {
        out[k] = v;
      }
    }
  }
  return out;
}
