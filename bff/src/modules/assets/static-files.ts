import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../common/logger.js';

/** Where the demo catalog's product pictures live (`PRODUCT_IMAGES_DIR` overrides it). */
export const PRODUCT_IMAGES_DIR = fileURLToPath(new URL('../../../static/products/', import.meta.url));

/** A servable file name: 16 hex digits of the content's SHA-256 and a picture extension. */
export const HASHED_NAME = /^([0-9a-f]{16})\.(svg|png|webp)$/;

const TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', webp: 'image/webp' };

export interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The files of one folder, read once into memory and looked up by exact name. Only names of the
 * form `<hash>.<ext>` whose hash matches the content are held, so a request can reach nothing else
 * (no path is ever built from the request) and a URL always means the same bytes.
 */
export class StaticFiles {
  private constructor(private readonly files: ReadonlyMap<string, StaticFile>) {}

  /** Reads `dir`; a missing folder gives an empty set, a file whose name lies about its hash is skipped and logged. */
  static load(dir: string, logger?: Logger): StaticFiles {
    const files = new Map<string, StaticFile>();
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch (err) {
      logger?.warn({ dir, err: (err as Error).message }, 'static folder not readable: serving nothing from it');
    }
    for (const name of names) {
      const m = HASHED_NAME.exec(name);
      if (!m) continue;
      const body = readFileSync(path.join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex');
      if (!hash.startsWith(m[1])) {
        logger?.warn({ dir, name }, 'static file skipped: its name is not its content hash');
        continue;
      }
      files.set(name, { body, type: TYPES[m[2]], etag: `"${m[1]}"` });
    }
    return new StaticFiles(files);
  }

  get(name: string): StaticFile | undefined {
    return this.files.get(name);
  }

  get size(): number {
    return this.files.size;
  }
}
