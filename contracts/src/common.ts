import { z } from 'zod';

/** Every error the API answers, whatever the status. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A store code: S001, S002, … */
export const StoreId = z.string().regex(/^S\d{3,6}$/, 'must be a store code like S001');
export const Latitude = z.coerce.number().min(-90).max(90);
export const Longitude = z.coerce.number().min(-180).max(180);
/** Money is always integer cents. */
export const Cents = z.number().int().min(0);
