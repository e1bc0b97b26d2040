/** The markdown table of a bench run: one row per scenario case, Lantern next to native, with the ratio. */
import type { BenchResults, SideResult } from './results';

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 1 ? `${s.toFixed(3)} s` : s < 10 ? `${s.toFixed(2)} s` : `${s.toFixed(1)} s`;
}

function mib(bytes: number | null): string {
  return bytes === null ? '-' : `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
}

function timing(side: SideResult | null, outOfTime: boolean): string {
  if (!side) return '-';
  if (!side.summary && side.errors.length === 0 && outOfTime) return 'not measured: out of time (--deadline)';
  if (!side.summary) return `failed: ${side.errors[0] ?? 'no run'}`.replaceAll('|', '/');
  const { median, min, max, runs } = side.summary;
  const failed = side.errors.length ? ` (${side.errors.length} failed)` : '';
  const parts = Object.entries(side.parts ?? {}).map(([k, p]) => `<br>${k}: ${seconds(p.median)} (${seconds(p.min)}-${seconds(p.max)})`);
  return `**${seconds(median)}** (${seconds(min)}-${seconds(max)}, n=${runs}${failed})${parts.join('')}`;
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  const load = m.loadAverageAtStart.map((x) => x.toFixed(2)).join(', ');
  return (
    `${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB memory, Node ${m.node}, ${m.platform}; ` +
    `load average at start ${load}${m.loaded ? ' (**a busy machine**: other work competed for the CPU, figures are slower and noisier than on an idle one)' : ''}`
  );
}

/** A case whose Lantern side ran no SQL (e.g. a threshold move from cached counts) has no native counterpart. */
function nothingToReplay(c: BenchResults['scenarios'][number]['cases'][number]): boolean {
  const runs = c.native?.runs ?? [];
  return runs.length > 0 && runs.every((run) => (run.detail as { statements?: number } | undefined)?.statements === 0);
}

export function renderTable(r: BenchResults): string {
  const lines = [
    '| scenario | case | Lantern: median (min-max) | Lantern peak memory | native: median (min-max) | native peak memory | Lantern / native | aim |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of r.scenarios) {
    const aim = s.aim ?? '';
    if (s.status === 'pending' || (s.status === 'failed' && s.cases.length === 0)) {
      const what = s.status === 'pending' ? 'not yet measured' : 'failed';
      lines.push(`| ${s.title} | - | ${what}: ${(s.reason ?? '').replaceAll('|', '/')} | - | - | - | - | ${aim} |`);
      continue;
    }
    for (const c of s.cases) {
      const ratio = nothingToReplay(c) ? '- (no SQL: nothing for native to run)' : c.ratio === null ? '-' : `${c.ratio.toFixed(2)}x`;
      lines.push(
        `| ${s.title} | ${c.label} | ${timing(c.lantern, Boolean(c.skippedForDeadline))} | ${mib(c.lantern.peakBytes)} | ${timing(c.native, Boolean(c.skippedForDeadline))} | ${mib(c.native?.peakBytes ?? null)} | ${ratio} | ${aim} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Who ran on each side, once per distinct name (the table's columns say "Lantern" and "native"). */
function sides(r: BenchResults): string[] {
  const seen = new Map<string, string>();
  for (const s of r.scenarios)
    for (const c of s.cases) {
      seen.set(`${s.title}: Lantern = ${c.lantern.name}`, c.lantern.peakHow);
      if (c.native) seen.set(`${s.title}: native = ${c.native.name}`, c.native.peakHow);
    }
  return [...seen.entries()].map(([k, how]) => `- ${k}; peak memory: ${how}`);
}

export function renderMarkdown(r: BenchResults): string {
  return [
    `# Lantern benchmark, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC (${r.scale} scale)`,
    '',
    `Machine: ${machineLine(r)}.`,
    '',
    `Engines: ${Object.entries(r.engines ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}; ${r.machine.python ?? 'python unknown'}; ${r.machine.chromium ?? 'Chromium unknown'}.`,
    '',
    ...(r.note ? [`Note: ${r.note}`, ''] : []),
    `Code: ${r.git['branch']} at ${r.git['commit']}${r.git['dirty'] === 'yes' ? ' (with uncommitted changes)' : ''}. Each figure is the median of ${r.runsPerFigure} runs, each in a fresh process, Lantern and native runs alternating; files are in the OS page cache (warm).`,
    '',
    renderTable(r),
    '',
    'Sides:',
    ...sides(r),
    '',
  ].join('\n');
}
