import type { ZodType, ZodTypeDef } from 'zod';
import { ValidationError } from './errors.js';

/**
 * Parses untrusted input against a zod schema; on failure throws a 400 naming every bad field.
 * Schemas are strict about types, so operator objects such as `{"$gt": ""}` never reach a query.
 */
export function parse<T>(schema: ZodType<T, ZodTypeDef, unknown>, input: unknown, what = 'request'): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw new ValidationError(
    `Invalid ${what}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'bad input'}`,
    { issues },
  );
}
