#!/usr/bin/env node
// What the browser tests need from the system: Chromium and a CJK font (the screens are Chinese).
// As root on Debian they are installed from Debian's packages; otherwise the exact command to run
// is printed. `planBrowserSetup` is the decision alone (pure, tested); `ensureBrowserDeps` acts on it.
//
//   node scripts/system-deps.mjs          check, install as root, exit 1 if still missing
//   node scripts/system-deps.mjs check    check only, never install
//
// CHROMIUM_PATH points the tests at another Chromium binary (default /usr/bin/chromium, Debian's).
import { accessSync, constants, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** Debian package of each need. */
export const PACKAGES = { chromium: 'chromium', cjkFonts: 'fonts-noto-cjk' };

/**
 * @typedef {object} BrowserFacts
 * @property {string} chromiumPath     where the tests will look for Chromium
 * @property {boolean} hasChromium     chromiumPath is an executable file
 * @property {boolean} hasCjkFonts     fontconfig knows a font covering Chinese
 * @property {boolean} isRoot
 * @property {boolean} hasAptGet
 */

/**
 * @typedef {object} BrowserPlan
 * @property {'none' | 'install' | 'ask'} action  nothing to do; run apt-get ourselves; tell the user
 * @property {string[]} packages      Debian packages that would provide what is missing
 * @property {string[]} missing       what is missing, in words
 * @property {string} [command]       the exact command to run (for 'install' and 'ask')
 * @property {string} [message]       what to tell the user when action is 'ask'
 */

/** The facts about this machine that the plan depends on. */
export function browserFacts(env = process.env) {
  const chromiumPath = env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
  return {
    chromiumPath,
    hasChromium: isExecutable(chromiumPath),
    hasCjkFonts: hasCjkFonts(),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasAptGet: spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
  };
}

/**
 * Decides what to do about missing browser needs; installs nothing itself. `install` when we are
 * root on a machine with apt-get; `ask` otherwise, with a message naming the exact command to run.
 * @param {BrowserFacts} f
 * @returns {BrowserPlan}
 */
export function planBrowserSetup(f) {
  const missing = [];
  const packages = [];
  if (!f.hasChromium) {
    missing.push(`Chromium (${f.chromiumPath})`);
    packages.push(PACKAGES.chromium);
  }
  if (!f.hasCjkFonts) {
    missing.push('a CJK font');
    packages.push(PACKAGES.cjkFonts);
  }
  if (missing.length === 0) return { action: 'none', packages, missing };

  const apt = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (f.isRoot && f.hasAptGet) return { action: 'install', packages, missing, command: `apt-get update && ${apt}` };
  const command = f.hasAptGet ? `sudo ${apt}` : undefined;
  const fix = command
    ? `run: ${command}`
    : `install ${packages.map((p) => (p === PACKAGES.chromium ? 'Chromium' : 'Noto Sans CJK')).join(' and ')} (Debian: ${packages.join(' ')}) with your system's package manager`;
  const other = f.hasChromium ? '' : ` (or set CHROMIUM_PATH to a Chromium binary elsewhere)`;
  const message = `The browser tests need ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} missing. To fix it, ${fix}${other}.`;
  return { action: 'ask', packages, missing, command, message };
}

/**
 * Makes sure Chromium and CJK fonts are there, installing them from Debian when root. Returns
 * `{ ok: true, summary }` when the browser tests can run, `{ ok: false, message }` when not.
 * @param {{ env?: NodeJS.ProcessEnv, install?: boolean, log?: (line: string) => void }} [opts]
 */
export function ensureBrowserDeps({ env = process.env, install = true, log = (l) => console.error(l) } = {}) {
  let facts = browserFacts(env);
  let plan = planBrowserSetup(facts);
  if (plan.action === 'install' && install) {
    log(`[setup] the browser tests need ${plan.missing.join(' and ')}: installing ${plan.packages.join(' ')} from Debian (${plan.command})…`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'inherit', 'inherit'], env: aptEnv });
    const add = update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...plan.packages], { stdio: ['ignore', 'inherit', 'inherit'], env: aptEnv })
      : update;
    if (add.status !== 0) {
      return { ok: false, message: `Installing ${plan.packages.join(' ')} failed (apt-get exited ${add.status}); see the lines above, then run: ${plan.command}` };
    }
    const installed = plan.packages;
    facts = browserFacts(env);
    plan = planBrowserSetup(facts);
    if (plan.action !== 'none') {
      const hint = facts.chromiumPath !== DEBIAN_CHROMIUM ? ` Debian's Chromium is at ${DEBIAN_CHROMIUM}; CHROMIUM_PATH says ${facts.chromiumPath}.` : '';
      return { ok: false, message: `Installed ${installed.join(' ')}, but still missing: ${plan.missing.join(' and ')}.${hint}` };
    }
  } else if (plan.action === 'install') {
    return { ok: false, message: `The browser tests need ${plan.missing.join(' and ')}, which ${plan.missing.length > 1 ? 'are' : 'is'} missing. To fix it, run: ${plan.command}` };
  } else if (plan.action === 'ask') {
    return { ok: false, message: plan.message };
  }
  return { ok: true, summary: `Chromium ${chromiumVersion(facts.chromiumPath)} at ${facts.chromiumPath}, CJK fonts present` };
}

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function hasCjkFonts() {
  const r = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

function chromiumVersion(p) {
  const r = spawnSync(p, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /(\d+\.[\d.]+)/.exec(r.stdout ?? '')?.[1] ?? '(version unknown)';
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = ensureBrowserDeps({ install: process.argv[2] !== 'check' });
  if (r.ok) console.log(`[setup] browser tests: ${r.summary}`);
  else console.error(`[setup] ${r.message}`);
  process.exit(r.ok ? 0 : 1);
}
