import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The cloud-functions folder. */
export const FUNCTIONS_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** A trigger as the host's `config.json` declares it; timers use a 7-field cron (sec min hour day month week year). */
export interface Trigger {
  name: string;
  type: 'timer';
  config: string;
}

export interface FunctionConfig {
  permissions?: { openapi?: string[] };
  triggers?: Trigger[];
}

/** Every function: a folder with an `index.ts` and a `config.json`. */
export function functionNames(): string[] {
  return readdirSync(FUNCTIONS_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(FUNCTIONS_ROOT, d.name, 'index.ts')) && existsSync(path.join(FUNCTIONS_ROOT, d.name, 'config.json')))
    .map((d) => d.name)
    .sort();
}

export function readConfig(name: string): FunctionConfig {
  return JSON.parse(readFileSync(path.join(FUNCTIONS_ROOT, name, 'config.json'), 'utf8')) as FunctionConfig;
}

export function assertFunction(name: string): void {
  if (!functionNames().includes(name)) {
    throw new Error(`no cloud function "${name}" (have: ${functionNames().join(', ')})`);
  }
}
