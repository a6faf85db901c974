import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  os: string;
  loadAvgAtStart: number[];
}

/** The machine a run was measured on (`nproc`, CPU model from /proc/cpuinfo, memory). */
export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    /* not Linux: keep os.cpus() */
  }
  return {
    nproc: os.availableParallelism(),
    cpuModel,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAvgAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
