import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1, 5 and 15 minute load averages when the run started: a loaded machine gives slower, noisier figures. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  /** Other processes' CPU share is not ours to control; this says whether the figures were taken on a busy machine. */
  loaded: boolean;
  chromium: string | null;
  python: string | null;
}

function tryRun(file: string, args: string[]): string | null {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return null;
  }
}

function cpuModel(): string {
  const fromOs = os.cpus()[0]?.model;
  if (fromOs && fromOs !== 'unknown') return fromOs;
  const match = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1] ?? 'unknown';
}

export function describeMachine(): Machine {
  const cores = os.availableParallelism();
  const load = os.loadavg();
  return {
    cpu: cpuModel(),
    cores,
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: load,
    // A load above half the cores means other work competed for the CPU during the run.
    loaded: (load[0] ?? 0) > cores * 0.5,
    chromium: tryRun(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', ['--version']),
    python: tryRun('/usr/bin/python3', ['-c', 'import sys, xgboost; print(sys.version.split()[0], "xgboost", xgboost.__version__)']),
  };
}
