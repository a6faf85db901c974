import { z } from 'zod';

export const SHARE_TARGET_TYPES = ['group', 'deal', 'product'] as const;

/** `POST /shares`: the same sharer sharing the same thing gets the same share id back. */
export const CreateShareBody = z
  .object({
    targetType: z.enum(SHARE_TARGET_TYPES),
    targetId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id'),
  })
  .strict();
export type CreateShareBody = z.infer<typeof CreateShareBody>;

export const ShareDto = z.object({
  id: z.string(),
  targetType: z.enum(SHARE_TARGET_TYPES),
  targetId: z.string(),
  dealId: z.string().nullable(),
  path: z.string(),
});
export type ShareDto = z.infer<typeof ShareDto>;

/** `POST /shares/:id/visit` answer: `firstVisit` is true only for the visitor's first visit of that share. */
export const ShareVisitDto = z.object({ shareId: z.string(), firstVisit: z.boolean(), attributedShareId: z.string().nullable() });
export type ShareVisitDto = z.infer<typeof ShareVisitDto>;
