/**
 * `npm run bench`: generates the data and the model, then measures every scenario in bench/scenarios/
 * next to its native counterpart and writes bench/results/<time>.json and .md (and updates the README's
 * table after a full run). Flags: --scale full|small, --runs N, --only a,b (in that order), --shap-rows N,
 * --timeout-min N (per run), --deadline HH:MM (UTC; no run starts that would end after it), --data-only,
 * --note TEXT (kept with the results, e.g. which unmerged branches the code includes), --no-readme. BENCH_SCALE=small is the same as --scale small.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { generateData, type DataPlan } from './data';
import { describeMachine } from './machine';
import { runInChild, type RunResult } from './measure';
import { renderMarkdown } from './report';
import type { BenchResults, CaseResult, ScenarioResult, SideResult } from './results';
import type { BenchContext, Case, Scenario } from './scenario';
import { summarise } from './stats';
import { trainModel } from './model';
import { updateReadme } from './readme';

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string' },
    runs: { type: 'string' },
    only: { type: 'string' },
    'shap-rows': { type: 'string' },
    'timeout-min': { type: 'string' },
    deadline: { type: 'string' },
    note: { type: 'string' },
    'data-only': { type: 'boolean' },
    'no-readme': { type: 'boolean' },
  },
});

const scale = (flags.scale ?? process.env['BENCH_SCALE'] ?? 'full') as 'full' | 'small';
if (scale !== 'full' && scale !== 'small') throw new Error(`--scale is full or small (got ${scale})`);
const runs = Number(flags.runs ?? 3);
const only = flags.only ? new Set(flags.only.split(',')) : null;
const timeoutMs = Number(flags['timeout-min'] ?? 20) * 60_000;
const root = resolve(import.meta.dirname, '../..');
const deadline = parseDeadline(flags.deadline);

/** "23:58" -> the next such UTC time, as epoch ms. */
function parseDeadline(text: string | undefined): number | null {
  if (!text) return null;
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`--deadline takes HH:MM in UTC (got ${text})`);
  const now = new Date();
  const at = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), Number(match[1]), Number(match[2]));
  return at > now.getTime() ? at : at + 86_400_000;
}

// The sizes; `small` keeps the same shapes at a size a busy laptop runs in a minute or two.
const plan: DataPlan =
  scale === 'full'
    ? {
        logs: { '1m': 1_000_000, '5m': 5_000_000, '10m': 10_000_000 },
        parquetOnly: ['10m'],
        analysisLog: '1m',
        trainRows: 50_000,
        shapRows: Number(flags['shap-rows'] ?? 100_000),
      }
    : {
        logs: { '20k': 20_000, '50k': 50_000, '100k': 100_000 },
        parquetOnly: ['100k'],
        analysisLog: '20k',
        trainRows: 5_000,
        shapRows: Number(flags['shap-rows'] ?? 2_000),
      };

const machine = describeMachine();
const startedAt = new Date();
log(
  `scale ${scale}, ${runs} runs per figure, load average ${machine.loadAverageAtStart.map((x) => x.toFixed(2)).join(' ')} on ${machine.cores} cores`,
);

const dataDir = join(root, 'bench/tmp/data');
const files = await generateData(dataDir, plan);
const modelPath = await trainModel(root, files.train, join(dataDir, `model_${plan.trainRows}.json`));
if (flags['data-only']) {
  log(`data and model ready in ${dataDir}`);
  process.exit(0);
}
const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
const workDir = join(root, 'bench/tmp/work', stamp);
mkdirSync(workDir, { recursive: true });
const ctx: BenchContext = { root, files, modelPath, workDir, scale };

const scenarioDir = join(root, 'bench/scenarios');
const scenarioFiles = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => join(scenarioDir, f));

function gitFacts(): Record<string, string> {
  const run = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    commit: run(['rev-parse', '--short', 'HEAD']),
    branch: run(['rev-parse', '--abbrev-ref', 'HEAD']),
    dirty: run(['status', '--porcelain', '--untracked-files=no']) ? 'yes' : 'no',
  };
}

/** Engine versions, so a ratio says which builds it compares. */
async function engineVersions(): Promise<Record<string, string>> {
  const { openNodeDb } = await import('./lantern');
  const { openNative } = await import('./native');
  const wasm = await openNodeDb();
  const [row] = await wasm.query('SELECT version() AS v');
  const native = await openNative();
  const out = {
    duckdbWasm: `${String(row?.['v'])} (@duckdb/duckdb-wasm ${packageVersion('@duckdb/duckdb-wasm')})`,
    duckdbNative: `${native.version} (@duckdb/node-api ${packageVersion('@duckdb/node-api')}, ${native.threads} threads)`,
    parquetWasm: packageVersion('parquet-wasm'),
  };
  native.close();
  return out;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const results: BenchResults = {
  version: 1,
  startedAt: startedAt.toISOString(),
  scale,
  runsPerFigure: runs,
  plan,
  machine,
  git: gitFacts(),
  engines: await engineVersions(),
  data: files.checksums,
  scenarios: [],
  ...(deadline ? { deadline: new Date(deadline).toISOString() } : {}),
  ...(flags.note ? { note: flags.note } : {}),
};

const outDir = scale === 'full' ? join(root, 'bench/results') : join(root, 'bench/tmp/results');
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${stamp}-${scale}`);
function save(): void {
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderMarkdown(results));
}

function sideResult(name: string, runsDone: RunResult[], errors: string[]): SideResult {
  const peaks = runsDone.map((r) => r.peakBytes ?? r.childPeakBytes);
  const how = runsDone.find((r) => r.peakHow)?.peakHow ?? 'peak RSS (VmHWM) of the child process, setup included';
  const partNames = [...new Set(runsDone.flatMap((r) => Object.keys(r.parts ?? {})))];
  const parts = Object.fromEntries(
    partNames.map((k) => [k, summarise(runsDone.map((r) => r.parts?.[k]).filter((x): x is number => x !== undefined))!]),
  );
  return {
    name,
    summary: summarise(runsDone.map((r) => r.ms)),
    ...(partNames.length ? { parts } : {}),
    peakBytes: peaks.length ? Math.max(...peaks) : null,
    peakHow: how,
    runs: runsDone.map((r) => ({
      ms: r.ms,
      peakBytes: r.peakBytes ?? r.childPeakBytes,
      ...(r.parts ? { parts: r.parts } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    })),
    errors,
  };
}

interface Planned {
  file: string;
  scenario: Scenario;
  entry: ScenarioResult;
}
const planned: Planned[] = [];
for (const file of scenarioFiles) {
  const scenario = ((await import(pathToFileURL(file).href)) as { default: Scenario }).default;
  if (only && !only.has(scenario.id)) continue;
  const entry: ScenarioResult = { id: scenario.id, title: scenario.title, aim: scenario.aim ?? null, status: 'measured', cases: [] };
  results.scenarios.push(entry);
  const reason = await scenario.pending(ctx);
  if (reason) {
    entry.status = 'pending';
    entry.reason = reason;
    log(`${scenario.id}: not yet measured (${reason})`);
    continue;
  }
  try {
    await scenario.prepare?.(ctx);
  } catch (error) {
    entry.status = 'failed';
    entry.reason = `prepare: ${(error as Error).message}`;
    continue;
  }
  planned.push({ file, scenario, entry });
}
// With --only, scenarios run in the order given (the most wanted first when a deadline may cut the rest).
if (flags.only) {
  const order = flags.only.split(',');
  planned.sort((a, b) => order.indexOf(a.scenario.id) - order.indexOf(b.scenario.id));
  results.scenarios.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}
save();

/** Whether a run expected to take `expectMs` may still start. */
function beforeDeadline(expectMs: number): boolean {
  return deadline === null || Date.now() + expectMs < deadline;
}

interface Pending {
  p: Planned;
  c: Case;
  done: { lantern: RunResult[]; native: RunResult[] };
  errors: { lantern: string[]; native: string[] };
  skipped: number;
  result: CaseResult;
}

function caseResult(x: Pending): CaseResult {
  const lantern = sideResult(x.p.scenario.lantern.name, x.done.lantern, x.errors.lantern);
  const native = x.p.scenario.native ? sideResult(x.p.scenario.native.name, x.done.native, x.errors.native) : null;
  const ratio = lantern.summary && native?.summary ? lantern.summary.median / native.summary.median : null;
  return { key: x.c.key, label: x.c.label, lantern, native, ratio, ...(x.skipped ? { skippedForDeadline: x.skipped } : {}) };
}

/** One run of each side of a case: Lantern, then native, so a change in the machine's load hits both alike. */
async function runOnce(x: Pending, round: number, n: number): Promise<void> {
  for (const side of ['lantern', 'native'] as const) {
    if (side === 'native' && !x.p.scenario.native) continue;
    // A side that failed twice will not do better a third time.
    if (x.errors[side].length >= 2) continue;
    const last = x.done[side][x.done[side].length - 1];
    // Runs take longer than their measured part (engine start, loading): assume twice, at least a minute.
    if (!beforeDeadline(last ? Math.max(60_000, 2 * last.ms) : 60_000)) {
      x.skipped++;
      continue;
    }
    try {
      // A run still going at the deadline is stopped and recorded as such: the results must be written by then.
      const limit = deadline === null ? timeoutMs : Math.min(timeoutMs, Math.max(5_000, deadline - Date.now()));
      const r = await runInChild({ scenarioFile: x.p.file, side, params: x.c.params, ctx }, limit);
      x.done[side].push(r);
      log(
        `${x.p.scenario.id} ${x.c.key} ${side} run ${round + 1}/${n}: ${(r.ms / 1000).toFixed(2)} s, peak ${((r.peakBytes ?? r.childPeakBytes) / 2 ** 20).toFixed(0)} MiB`,
      );
    } catch (error) {
      x.errors[side].push((error as Error).message);
      log(`${x.p.scenario.id} ${x.c.key} ${side} run ${round + 1}/${n} failed: ${(error as Error).message}`);
    }
  }
  Object.assign(x.result, caseResult(x));
}

// Rounds: the first run of every case, then the second of every case, and so on, with the heavy cases (the
// 5,000,000-row loads) last in each round; so a deadline leaves every scenario measured, by fewer runs.
const work: Pending[] = [];
for (const heavy of [false, true])
  for (const p of planned)
    for (const c of p.scenario.cases(ctx)) {
      if (Boolean(c.heavy) !== heavy) continue;
      const x: Pending = {
        p,
        c,
        done: { lantern: [], native: [] },
        errors: { lantern: [], native: [] },
        skipped: 0,
        result: { key: c.key, label: c.label, lantern: sideResult(p.scenario.lantern.name, [], []), native: null, ratio: null },
      };
      x.result = caseResult(x);
      p.entry.cases.push(x.result);
      work.push(x);
    }
const rounds = Math.max(0, ...planned.map((p) => p.scenario.runs ?? runs));
for (let round = 0; round < rounds; round++) {
  for (const x of work) {
    if (round >= (x.p.scenario.runs ?? runs)) continue;
    await runOnce(x, round, x.p.scenario.runs ?? runs);
    save();
  }
}
for (const p of planned) {
  if (p.entry.cases.length > 0 && p.entry.cases.every((c) => !c.lantern.summary)) p.entry.status = 'failed';
}

results.finishedAt = new Date().toISOString();
results.machine.loadAverageAtEnd = describeMachine().loadAverageAtStart;
save();
log(`results: ${base}.json and .md`);
if (scale === 'full' && !flags['no-readme']) {
  updateReadme(join(root, 'README.md'), results, `${base}.json`.slice(root.length + 1));
  log('README benchmark section updated');
}
if (!existsSync(`${base}.json`)) process.exitCode = 1;
