// Both targets build from the one source: `taro build --type weapp` and `--type h5` pass, the weapp
// output is a valid app with the clerk and admin subpackages under the host's 2 MB main-package limit, and the h5
// output loads its scripts. Builds go to a throwaway folder under dist/ (the demo's build is untouched).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { buildTarget, miniappDir } from '../scripts/build.mjs';
import { h5FirstLoad, weappSizes } from '../scripts/bundle-size.mjs';

const tag = `test-${randomBytes(4).toString('hex')}`;
const root = path.join(miniappDir, 'dist', tag);

test.after.always(() => rmSync(root, { recursive: true, force: true }));

// Serial so two webpack runs never compete for the 2 cores with each other.
test.serial('the weapp build passes: every page and the clerk and admin subpackages, main package under the host limit', async (t) => {
  t.timeout(5 * 60_000);
  const weapp = await buildTarget('weapp', { outputRoot: `dist/${tag}/weapp` });
  t.true(weapp.ok, `weapp build failed (exit ${weapp.code}):\n${weapp.output.slice(-3000)}`);
  const app = JSON.parse(readFileSync(path.join(weapp.outDir, 'app.json'), 'utf8')) as { pages: string[]; subPackages?: { root: string; pages: string[] }[]; tabBar?: unknown };
  t.true(app.pages.includes('pages/home/index'));
  t.false(app.pages.includes('pages/login/index'), 'the dev login page is h5 only');
  t.deepEqual(app.subPackages?.map((s) => s.root), ['clerk', 'admin']);
  for (const page of [...app.pages, ...(app.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))]) {
    t.true(existsSync(path.join(weapp.outDir, `${page}.js`)), `${page}.js is built`);
  }
  // Taro compiles `enableShareAppMessage` into the page's config object (it adds onShareAppMessage).
  t.regex(readFileSync(path.join(weapp.outDir, 'pages/group/index.js'), 'utf8'), /enableShareAppMessage:!0/, 'the group page can be shared');
  t.true(weappSizes(weapp.outDir).mainBytes < 2 * 1024 * 1024, 'main package under the host limit of 2 MB');
  t.log(`weapp built in ${(weapp.ms / 1000).toFixed(1)} s`);
});

test.serial('the h5 build passes and its index.html loads the app scripts', async (t) => {
  t.timeout(5 * 60_000);
  const h5 = await buildTarget('h5', { outputRoot: `dist/${tag}/h5` });
  t.true(h5.ok, `h5 build failed (exit ${h5.code}):\n${h5.output.slice(-3000)}`);
  const first = h5FirstLoad(h5.outDir);
  t.true(first.files.length > 0, 'index.html loads scripts');
  t.true(first.gzipBytes > 0);
  t.log(`h5 built in ${(h5.ms / 1000).toFixed(1)} s; first-load JS ${(first.gzipBytes / 1024).toFixed(0)} KB gzipped`);
});
