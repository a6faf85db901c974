import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Row, Scenario } from '../lib.js';
import { buildTarget, miniappDir } from '../../../miniapp/scripts/build.mjs';
import { BUDGETS, h5FirstLoad, h5FirstLoadInBrowser, weappSizes } from '../../../miniapp/scripts/bundle-size.mjs';

const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/**
 * The miniapp's bundle budgets (DESIGN.md): weapp main package ≤ 1 MB (the host refuses > 2 MB) and
 * h5 first-load JS ≤ 350 KB gzipped. Production builds into dist/bench/ (the demo's build is untouched).
 */
export const bundleScenario: Scenario = {
  name: 'bundle',
  async run(ctx) {
    const rows: Row[] = [];
    const outRoot = path.join(miniappDir, 'dist', 'bench');
    rmSync(outRoot, { recursive: true, force: true });

    ctx.log('bundle: building the miniapp for weapp…');
    const weapp = await buildTarget('weapp', { outputRoot: 'dist/bench/weapp' });
    if (!weapp.ok) throw new Error(`weapp build failed:\n${weapp.output.slice(-2000)}`);
    const w = weappSizes(weapp.outDir);
    rows.push({
      scenario: 'bundle',
      name: 'weapp main package',
      value: kb(w.mainBytes),
      unit: 'KB',
      budget: `≤ ${kb(BUDGETS.weappMainBytes)} KB`,
      pass: w.mainBytes <= BUDGETS.weappMainBytes,
      note: `subpackages: ${Object.entries(w.subpackages).map(([r, b]) => `${r} ${kb(b)} KB`).join(', ') || 'none'}; built in ${(weapp.ms / 1000).toFixed(0)} s`,
    });

    ctx.log('bundle: building the miniapp for h5…');
    const h5 = await buildTarget('h5', { outputRoot: 'dist/bench/h5' });
    if (!h5.ok) throw new Error(`h5 build failed:\n${h5.output.slice(-2000)}`);
    // Measured in Chromium when it is installed (entry scripts + the home page's chunks), else the
    // scripts index.html names (a lower bound).
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    const inBrowser = existsSync(chromiumPath);
    const f = inBrowser ? await h5FirstLoadInBrowser(h5.outDir, { bffUrl: ctx.bffUrl, chromiumPath }) : h5FirstLoad(h5.outDir);
    rows.push({
      scenario: 'bundle',
      name: 'h5 first-load JS (gzip)',
      value: kb(f.gzipBytes),
      unit: 'KB',
      budget: `≤ ${kb(BUDGETS.h5FirstLoadGzipBytes)} KB`,
      pass: f.gzipBytes <= BUDGETS.h5FirstLoadGzipBytes,
      note: `${f.files.length} scripts to show the home page${inBrowser ? ' (Chromium)' : ' (index.html only)'}, ${kb(f.rawBytes)} KB raw; built in ${(h5.ms / 1000).toFixed(0)} s`,
    });
    return rows;
  },
};
