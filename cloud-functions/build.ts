// Builds every cloud function into the folder the host deploys: `<name>/dist/` with `index.js` (one
// CommonJS bundle exporting `main`, no node_modules needed), `package.json` and `config.json`.
//
//   npm run build -w cloud-functions            all functions
//   npm run build -w cloud-functions -- sweeper one
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTIONS_ROOT, assertFunction, functionNames } from './functions.js';

/** Node version of the host's cloud function runtime the bundles target. */
export const RUNTIME_TARGET = 'node18';

/** Builds one function; answers the bundle's path. */
export async function buildFunction(name: string): Promise<string> {
  assertFunction(name);
  const dir = path.join(FUNCTIONS_ROOT, name);
  const out = path.join(dir, 'dist');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const outfile = path.join(out, 'index.js');
  await build({
    entryPoints: [path.join(dir, 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: RUNTIME_TARGET,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: `// Linli cloud function "${name}": built by cloud-functions/build.ts, do not edit.` },
  });
  // The parent package is ESM; this marks the bundle as CommonJS, as the runtime loads it.
  writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: `linli-fn-${name}`, private: true, main: 'index.js', type: 'commonjs' }, null, 2)}\n`);
  copyFileSync(path.join(dir, 'config.json'), path.join(out, 'config.json'));
  return outfile;
}

export async function buildAll(names = functionNames()): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) out.push(await buildFunction(n));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const names = process.argv.slice(2);
  try {
    for (const file of await buildAll(names.length ? names : undefined)) console.log(`built ${path.relative(process.cwd(), file)}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
