// `npm run pictures -w mock`: writes the demo catalog's pictures into the BFF's static folder
// (bff/static/products/<hash>.svg) and the item → file map the seed reads (pictures.json). Run it
// after changing an item's icon or the tile design; commit both. Stale pictures are removed.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCT_IMAGES_DIR as dir } from '@linli/bff/modules/assets/static-files';
import { buildPictures } from './pictures.js';

const { files, manifest } = buildPictures();

const keep = new Set(files.keys());
for (const f of readdirSync(dir)) if (/^[0-9a-f]{16}\.svg$/.test(f) && !keep.has(f)) rmSync(path.join(dir, f));
for (const [name, svg] of files) writeFileSync(path.join(dir, name), svg);
writeFileSync(fileURLToPath(new URL('./pictures.json', import.meta.url)), `${JSON.stringify(manifest, null, 2)}\n`);

const sizes = [...files.values()].map((s) => Buffer.byteLength(s));
console.log(`[pictures] ${files.size} files in ${path.relative(process.cwd(), dir)}: largest ${Math.max(...sizes)} B, total ${sizes.reduce((a, b) => a + b, 0)} B`);
