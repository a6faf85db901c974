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
/** A price something is sold at: at least 1 cent (a 0-cent order cannot be paid; issue 18, hole 13). */
export const PriceCents = z.number().int().min(1, 'must be at least 1 cent').max(100_000_000);
