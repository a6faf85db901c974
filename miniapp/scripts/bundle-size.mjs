// Sizes that DESIGN.md budgets: the weapp main package (everything outside subpackage roots) and
// the h5 first-load JavaScript (the scripts index.html loads), gzipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGETS = { weappMainBytes: 1024 * 1024, h5FirstLoadGzipBytes: 350 * 1024 };

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** Bytes of the weapp main package and of each subpackage, from a weapp build folder. */
export function weappSizes(outDir) {
  const app = JSON.parse(readFileSync(path.join(outDir, 'app.json'), 'utf8'));
  const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, ''));
  const sub = Object.fromEntries(subRoots.map((r) => [r, 0]));
  let main = 0;
  for (const file of walk(outDir)) {
    const rel = path.relative(outDir, file).split(path.sep).join('/');
    if (rel.endsWith('.LICENSE.txt') || rel === 'project.config.json' || rel.endsWith('.map')) continue;
    const size = statSync(file).size;
    const root = subRoots.find((r) => rel.startsWith(`${r}/`));
    if (root) sub[root] += size;
    else main += size;
  }
  return { mainBytes: main, subpackages: sub };
}

/** The scripts index.html loads at first paint, raw and gzipped (level 9, as a CDN would). */
export function h5FirstLoad(outDir) {
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  const files = [];
  for (const src of srcs) {
    const file = path.join(outDir, src.replace(/^\//, ''));
    const buf = readFileSync(file);
    const gz = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gzip += gz;
    files.push({ src, raw: buf.length, gzip: gz });
  }
  return { rawBytes: raw, gzipBytes: gzip, files };
}

/**
 * The JavaScript a browser really fetches to show the home page: serves the build, opens it in
 * Chromium (playwright-core) and gzips every script it loaded. `bffUrl` answers the page's API calls.
 */
export async function h5FirstLoadInBrowser(outDir, { bffUrl, mockUrl = bffUrl, chromiumPath = '/usr/bin/chromium', route = '/#/pages/home/index' } = {}) {
  const { chromium } = await import('playwright-core');
  const { startH5Server } = await import('./serve-h5.mjs');
  const { server, url } = await startH5Server({ port: 0, root: outDir, bffUrl, mockUrl });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    const scripts = new Set();
    page.on('request', (r) => {
      if (r.resourceType() === 'script' && r.url().startsWith(url)) scripts.add(new URL(r.url()).pathname);
    });
    await page.goto(url + route, { waitUntil: 'networkidle' });
    const files = [...scripts].map((src) => {
      const buf = readFileSync(path.join(outDir, src.replace(/^\//, '')));
      return { src, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    });
    return { rawBytes: files.reduce((a, f) => a + f.raw, 0), gzipBytes: files.reduce((a, f) => a + f.gzip, 0), files };
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}
