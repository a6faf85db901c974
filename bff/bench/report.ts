import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Row } from './lib.js';
import type { Machine } from './machine.js';

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  durationS: number;
  settings: { connections: number; durationS: number; logLevel: string };
  machine: Machine;
  rows: Row[];
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fmt = (n: number | undefined, d = 0) => (n === undefined ? '' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

export function table(rows: Row[]): string {
  const lines = ['| scenario | case | req/s | p50 ms | p99 ms | vs bare | value | budget | note |', '|---|---|---:|---:|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const budget = r.budget ? `${r.pass ? '✅' : '❌'} ${r.budget}` : '';
    const value = r.value === undefined ? '' : `${typeof r.value === 'number' ? fmt(r.value, 1) : r.value}${r.unit ? ` ${r.unit}` : ''}`;
    lines.push(
      `| ${r.scenario} | ${r.name} | ${fmt(r.reqPerSec)} | ${fmt(r.p50Ms, 1)} | ${fmt(r.p99Ms, 1)} | ${r.ratioToBare === undefined ? '' : `${fmt(r.ratioToBare * 100)} %`} | ${value} | ${budget} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** Writes bench/results/<timestamp>.json and replaces the results block of BENCHMARKS.md. */
export function writeReport(root: string, result: RunResult): { json: string; md: string } {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${result.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(json, JSON.stringify(result, null, 2) + '\n');

  const m = result.machine;
  const block = [
    START,
    `Last run: ${result.startedAt} (${result.durationS} s in all), \`bench/results/${path.basename(json)}\`.`,
    `Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}; load average at start ${m.loadAvgAtStart.join(' / ')}.`,
    `Load: autocannon, ${result.settings.connections} connections, ${result.settings.durationS} s per measurement, BFF log level \`${result.settings.logLevel}\` (to /dev/null).`,
    '',
    table(result.rows),
    END,
  ].join('\n');
  const md = path.join(root, 'BENCHMARKS.md');
  let text = existsSync(md) ? readFileSync(md, 'utf8') : '# Benchmarks\n\n';
  if (text.includes(START) && text.includes(END)) {
    text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length);
  } else {
    text = `${text.trimEnd()}\n\n## Latest run\n\n${block}\n`;
  }
  writeFileSync(md, text);
  return { json, md };
}
