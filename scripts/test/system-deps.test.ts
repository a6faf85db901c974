// What `npm test` does when Chromium or the CJK fonts are missing: the decision alone, then the real
// script in a child process whose PATH puts a recording `apt-get` and `fc-list` first and whose
// CHROMIUM_PATH points into a temporary folder, so the "no Chromium" machine is real for the script
// and nothing on this machine is installed or removed.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { PACKAGES, planBrowserSetup } from '../system-deps.mjs';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'system-deps.mjs');
const isRoot = process.getuid?.() === 0;
const present = { chromiumPath: '/usr/bin/chromium', hasChromium: true, hasCjkFonts: true, isRoot: false, hasAptGet: true };

test('with Chromium and CJK fonts present there is nothing to do', (t) => {
  t.deepEqual(planBrowserSetup(present), { action: 'none', packages: [], missing: [] });
  t.is(planBrowserSetup({ ...present, isRoot: true }).action, 'none');
});

test('as root with apt-get, missing Chromium and fonts are installed from Debian', (t) => {
  const plan = planBrowserSetup({ ...present, hasChromium: false, hasCjkFonts: false, isRoot: true });
  t.is(plan.action, 'install');
  t.deepEqual(plan.packages, ['chromium', 'fonts-noto-cjk']);
  t.is(plan.command, 'apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk');
});

test('not root, a missing Chromium is a message naming the exact command, never an install', (t) => {
  const plan = planBrowserSetup({ ...present, hasChromium: false });
  t.is(plan.action, 'ask');
  t.deepEqual(plan.packages, [PACKAGES.chromium]);
  t.is(plan.command, 'sudo apt-get install -y --no-install-recommends chromium');
  t.true(plan.message!.includes('run: sudo apt-get install -y --no-install-recommends chromium'));
  t.true(plan.message!.includes('Chromium (/usr/bin/chromium)'));
  t.true(plan.message!.includes('CHROMIUM_PATH'));
});

test('missing fonts alone ask for fonts-noto-cjk only', (t) => {
  const plan = planBrowserSetup({ ...present, hasCjkFonts: false });
  t.is(plan.action, 'ask');
  t.deepEqual(plan.packages, ['fonts-noto-cjk']);
  t.is(plan.command, 'sudo apt-get install -y --no-install-recommends fonts-noto-cjk');
  t.false(plan.message!.includes('CHROMIUM_PATH'));
});

test('without apt-get even root is asked, and told the Debian package names', (t) => {
  const plan = planBrowserSetup({ ...present, hasChromium: false, hasCjkFonts: false, isRoot: true, hasAptGet: false });
  t.is(plan.action, 'ask');
  t.is(plan.command, undefined);
  t.regex(plan.message!, /install Chromium and Noto Sans CJK \(Debian: chromium fonts-noto-cjk\) with your system's package manager/);
});

/** A folder with a recording apt-get (its `install` creates the fake Chromium and fonts) and fc-list. */
function fakeMachine(t: { teardown: (fn: () => void) => void }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'linli-sysdeps-'));
  chmodSync(dir, 0o777);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bin = path.join(dir, 'bin');
  const chromium = path.join(dir, 'chromium');
  const fonts = path.join(dir, 'fonts-installed');
  const log = path.join(dir, 'apt.log');
  const sh = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  spawnSync('mkdir', ['-m', '755', bin]);
  sh('apt-get', [
    '[ "$1" = --version ] && { echo "apt 2.6.1 (fake)"; exit 0; }',
    `echo "$*" >> '${log}'`,
    `if [ "$1" = install ]; then printf '#!/bin/sh\\necho Chromium 1.2.3 fake\\n' > '${chromium}'; chmod 755 '${chromium}'; touch '${fonts}'; fi`,
  ].join('\n'));
  sh('fc-list', `[ -e '${fonts}' ] && echo 'Noto Sans CJK SC'; exit 0`);
  const run = (args: string[], asUser?: number) =>
    spawnSync(process.execPath, [script, ...args], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, CHROMIUM_PATH: chromium, HOME: dir },
      ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
    });
  const aptCalls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { chromium, run, aptCalls };
}

(isRoot ? test : test.skip)('as root the script installs both packages with apt-get, then finds Chromium and the fonts', (t) => {
  const m = fakeMachine(t);
  const r = m.run([]);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(m.aptCalls(), ['update -qq', 'install -y -qq --no-install-recommends chromium fonts-noto-cjk']);
  t.true(r.stderr.includes('installing chromium fonts-noto-cjk from Debian'));
  t.is(r.stdout.trim(), `[setup] browser tests: Chromium 1.2.3 at ${m.chromium}, CJK fonts present`);
});

test('not root the script installs nothing, names the command and exits 1', (t) => {
  const m = fakeMachine(t);
  // As root, drop to nobody (65534) so this is a real non-root process.
  const r = m.run([], isRoot ? 65534 : undefined);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.deepEqual(m.aptCalls(), []);
  t.false(existsSync(m.chromium));
  t.true(r.stderr.includes('run: sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk'), r.stderr);
});

test('`check` never installs, even as root, and names the command', (t) => {
  const m = fakeMachine(t);
  const r = m.run(['check']);
  t.is(r.status, 1);
  t.deepEqual(m.aptCalls(), []);
  t.regex(r.stderr, /apt-get install -y --no-install-recommends chromium fonts-noto-cjk/);
});
