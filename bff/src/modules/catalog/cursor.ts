import { ValidationError } from '../../common/errors.js';

/** Opaque page cursor: base64url of the last product's `seq` (products only ever get higher seqs). */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

/** The `seq` a cursor stands for; 400 INVALID_CURSOR for anything this API did not hand out. */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = /^[1-9]\d{0,14}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(seq) || encodeCursor(seq) !== cursor) {
    throw new ValidationError('Invalid cursor: pass back a nextCursor from a previous page', { cursor }, 'INVALID_CURSOR');
  }
  return seq;
}

/** Folds text for search the way titles are stored in `titleNorm`: NFKC (full-width → half-width), lower case. */
export function normalizeTitle(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}
