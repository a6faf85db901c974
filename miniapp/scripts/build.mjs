// Builds the miniapp for one target with the Taro CLI: `buildTarget('weapp' | 'h5', {outputRoot})`.
// Used by the build test and the bundle benchmark; `npm run build:weapp|build:h5 -w miniapp` for people.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const miniappDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Runs `taro build --type <target> --no-check`; resolves {ok, code, ms, output, outDir}. */
export function buildTarget(target, { outputRoot = `dist/${target}`, env = {} } = {}) {
  const taroBin = require.resolve('@tarojs/cli/bin/taro');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [taroBin, 'build', '--type', target, '--no-check'], {
      cwd: miniappDir,
      env: { ...process.env, NODE_ENV: 'production', LINLI_OUTPUT_ROOT: outputRoot, FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      resolve({ ok: code === 0 && !/Compiled with (some )?errors|Failed to compile/i.test(output), code, ms: Date.now() - started, output, outDir: path.join(miniappDir, outputRoot) });
    });
  });
}
