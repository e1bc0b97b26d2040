/**
 * One measured run, in its own process: `node --import tsx bench/lib/child.ts <job.json>`. Prints one line
 * `BENCH_RESULT <json>` with the scenario's measurement and this process's peak RSS.
 */
import { readFileSync } from 'node:fs';
import { peakRss } from './procmem';
import { pathToFileURL } from 'node:url';
import type { BenchContext, Scenario } from './scenario';

export interface ChildJob {
  scenarioFile: string;
  side: 'lantern' | 'native';
  params: Record<string, unknown>;
  ctx: BenchContext;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildJob;
const scenario = ((await import(pathToFileURL(job.scenarioFile).href)) as { default: Scenario }).default;
const side = job.side === 'lantern' ? scenario.lantern : scenario.native;
if (!side) throw new Error(`${scenario.id} has no ${job.side} side`);
const measurement = await side.run(job.ctx, job.params).catch((error: unknown) => {
  // The parent shows this line as the reason (a stack's last lines name only this file).
  process.stdout.write(`BENCH_ERROR ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
  process.exit(1);
});
const childPeakBytes = peakRss();
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ...measurement, childPeakBytes })}\n`);
process.exit(0);
