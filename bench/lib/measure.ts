import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildJob } from './child';
import type { Measurement } from './scenario';

export interface RunResult extends Measurement {
  childPeakBytes: number;
}

/** Runs one measured run in a fresh Node process (with tsx for the TypeScript sources). */
export async function runInChild(job: ChildJob, timeoutMs: number): Promise<RunResult> {
  const dir = join(job.ctx.workDir, 'jobs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `job-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--max-old-space-size=8192', join(job.ctx.root, 'bench/lib/child.ts'), file],
      {
        cwd: job.ctx.root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 20_000) err = err.slice(-10_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (line) resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as RunResult);
      else {
        const why = signal === 'SIGKILL' ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exit ${code ?? signal}`;
        const reason = out.split('\n').find((l) => l.startsWith('BENCH_ERROR '));
        if (reason) return reject(new Error(reason.slice('BENCH_ERROR '.length)));
        const last = err
          .trim()
          .split('\n')
          .filter((l) => !l.includes('npm warn'))
          .slice(-3)
          .join(' | ');
        reject(new Error(`${why}: ${last || '(no output)'}`));
      }
    });
  });
}
