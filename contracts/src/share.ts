import { z } from 'zod';
import { StoreId } from './common.js';

export const SHARE_TARGET_TYPES = ['group', 'deal', 'product'] as const;
export type ShareTargetType = (typeof SHARE_TARGET_TYPES)[number];

const targetId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id');

/** A product or a deal is shared at a store (its link opens that store); a group has its own store. */
function storeNamed(b: { targetType: ShareTargetType; storeId?: string }, ctx: z.RefinementCtx) {
  if (b.targetType !== 'group' && !b.storeId) ctx.addIssue({ code: 'custom', path: ['storeId'], message: 'a product or deal is shared at a store: name storeId' });
}

/**
 * `POST /shares`: the sharer really shares (copied the link, sent the card, made a poster). The same
 * sharer sharing the same thing gets the same share id back.
 */
export const CreateShareBody = z
  .object({ targetType: z.enum(SHARE_TARGET_TYPES), targetId, storeId: StoreId.optional() })
  .strict()
  .superRefine(storeNamed);
export type CreateShareBody = z.infer<typeof CreateShareBody>;

/** `GET /shares/link?targetType&targetId&storeId`: the viewer's share card, prepared (not yet counted as shared). */
export const ShareLinkQuery = z
  .object({ targetType: z.enum(SHARE_TARGET_TYPES), targetId, storeId: StoreId.optional() })
  .strict()
  .superRefine(storeNamed);
export type ShareLinkQuery = z.infer<typeof ShareLinkQuery>;

/** `GET /shares/:id?storeId`: what a share id opens (the mini-program code's landing page resolves its scene with it). */
export const ShareResolveQuery = z.object({ storeId: StoreId.optional() }).strict();

export const POSTER_CODES = ['link', 'wxacode'] as const;
/**
 * `GET /shares/:id/poster?storeId&code`: the 朋友圈 poster PNG. `code=link` draws a QR code of the h5
 * link; `code=wxacode` the host's mini-program code (a QR of the link when the host cannot make one).
 */
export const PosterQuery = z.object({ storeId: StoreId.optional(), code: z.enum(POSTER_CODES).default('link') }).strict();
export type PosterQuery = z.infer<typeof PosterQuery>;

/** Poster size in pixels (the PNG the BFF renders). */
export const POSTER_SIZE = { width: 750, height: 1200 } as const;

/** A share as its card and link use it: `path` opens the target at `storeId` and carries the share id. */
export const ShareDto = z.object({
  id: z.string(),
  targetType: z.enum(SHARE_TARGET_TYPES),
  targetId: z.string(),
  dealId: z.string().nullable(),
  storeId: z.string().nullable(),
  path: z.string(),
  title: z.string().optional(),
  imageUrl: z.string().optional(),
  /** The poster of this share at this store (a path under the API base, like product images). */
  posterUrl: z.string().optional(),
});
export type ShareDto = z.infer<typeof ShareDto>;

/** `POST /shares/:id/visit` answer: `firstVisit` is true only for the visitor's first visit of that share. */
export const ShareVisitDto = z.object({ shareId: z.string(), firstVisit: z.boolean(), attributedShareId: z.string().nullable() });
export type ShareVisitDto = z.infer<typeof ShareVisitDto>;

/** The page a mini-program code opens: it reads `scene` and asks `GET /shares/:id` what to show. */
export const SHARE_LANDING_PAGE = 'pages/share/index';
/** The host's limit on a mini-program code's scene. */
export const SCENE_MAX = 32;

/**
 * A mini-program code's scene (≤ 32 characters): the share id without its `sh_` prefix, a dot, the
 * store code. Null when it would not fit.
 */
export function sceneOf(shareId: string, storeId: string | null): string | null {
  const scene = `${shareId.replace(/^sh_/, '')}${storeId ? `.${storeId}` : ''}`;
  return scene.length <= SCENE_MAX ? scene : null;
}

/** The share id and store a scene names; null for anything that is not a scene of `sceneOf`. */
export function parseScene(scene: string): { shareId: string; storeId: string | null } | null {
  const m = /^([A-Za-z0-9_-]{16,28})(?:\.(S\d{3,6}))?$/.exec(scene);
  return m ? { shareId: `sh_${m[1]}`, storeId: m[2] ?? null } : null;
}
