/**
 * The share id and store a mini-program code's scene names (`<share id without sh_>.<store>`, as the
 * BFF writes it with `sceneOf` in contracts); null for anything else. The miniapp takes only types
 * from contracts, so the reader lives here; a test holds the two together.
 */
export function parseScene(scene: string): { shareId: string; storeId: string | null } | null {
  const m = /^([A-Za-z0-9_-]{16,28})(?:\.(S\d{3,6}))?$/.exec(scene);
  return m ? { shareId: `sh_${m[1]}`, storeId: m[2] ?? null } : null;
}
