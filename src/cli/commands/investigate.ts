import { readFile } from 'node:fs/promises';
import { nodeParquet } from '../../engine/node';
import { LanternError } from '../../lib/errors';
import type { Finding, Investigation } from '../../lib/findings/types';
import { loadDataset } from '../../lib/ingest';
import { parseModel } from '../../lib/model/load';
import { inferSetup } from '../../lib/setup/infer';
import type { Setup } from '../../lib/setup/types';
import { investigate as runInvestigation } from '../../lib/usecases/investigate';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { openCommandDb, openInput } from '../engine';

export const usage =
  'Usage: lantern investigate --reference <file> --current <file> [--labels <file>] [--model <file>] [--min-support N] [--top K] [--json]';

/** A finding as the JSON output carries it: what, where, since when, how sure. */
export function findingJson(f: Finding) {
  return {
    kind: f.kind,
    title: f.title,
    ...(f.detail ? { detail: f.detail } : {}),
    severity: f.severity,
    columns: f.columns,
    segment: f.segment.map((s) => ({ column: s.column, value: s.value })),
    window: f.window,
    evidence: f.evidence,
    parts: f.parts.map((p) => ({ scope: p.scope, segment: p.segment, window: p.window, rows: p.rows, evidence: p.evidence })),
  };
}

/** The setup as the JSON output carries it: the parts of each file and the columns that hold what. */
export function setupJson(setup: Setup, names: Record<string, string>) {
  return {
    files: setup.datasets.map((d) => ({
      file: names[d.table] ?? d.name,
      part: d.part,
      reason: d.partReason,
      roles: Object.fromEntries(Object.entries(d.roles).map(([c, r]) => [c, { role: r.role, reason: r.reason }])),
    })),
    label: setup.label?.column ?? null,
    score: setup.score,
    prediction: setup.prediction,
    timestamp: setup.timestamp,
    join: setup.join,
    notes: setup.notes,
  };
}

function text(inv: Investigation, setup: Setup, top: number): string {
  const lines: string[] = [];
  const part = (p: string) => setup.datasets.find((d) => d.part === p);
  const described = ['reference', 'current', 'labels']
    .map((p) => part(p))
    .filter((d) => d !== undefined)
    .map((d) => `${d!.part}: ${d!.name} (${d!.partReason})`);
  lines.push(...described);
  if (setup.label)
    lines.push(
      `label: ${setup.label.column}; score: ${setup.score ?? '-'}; prediction: ${setup.prediction ?? '-'}; time: ${setup.timestamp ?? '-'}`,
    );
  lines.push('');
  const compared = !inv.steps.some((s) => s.step === 'inputs' && s.status === 'skipped');
  if (inv.findings.length === 0)
    lines.push(compared ? 'No finding: nothing stands out from the reference.' : 'No finding, and no input was compared (see below).');
  inv.findings.slice(0, top).forEach((f, i) => {
    lines.push(`${String(i + 1).padStart(2)}. [${f.severity.toFixed(0).padStart(3)}] ${f.kind}: ${f.title}`);
    if (f.detail) lines.push(`           ${f.detail}`);
  });
  if (inv.findings.length > top) lines.push(`... and ${inv.findings.length - top} more (--top ${inv.findings.length}).`);
  for (const s of inv.steps) if (s.status !== 'done') lines.push(`${s.step}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
  if (inv.tooSmall > 0) lines.push(`${inv.tooSmall} segment x window cells had fewer than ${inv.minSupport} rows and were not ranked.`);
  return lines.join('\n');
}

function positive(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new LanternError('usage', `${flag} takes a whole number, at least 1 (got "${raw}").\n${usage}`);
  return n;
}

/**
 * What is wrong with the model, where and since when: the same investigation the app's Overview runs,
 * over the training data, the prediction log, the labels that came later and the model file.
 */
export async function investigate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      reference: { type: 'string' },
      current: { type: 'string' },
      labels: { type: 'string' },
      model: { type: 'string' },
      'min-support': { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (!values.current) throw new LanternError('usage', `investigate needs --current (the prediction log).\n${usage}`);
  const minSupport = positive(values['min-support'], '--min-support');
  const top = positive(values.top, '--top') ?? 20;
  const files: [string, string][] = [['current', values.current]];
  if (values.reference) files.unshift(['reference', values.reference]);
  if (values.labels) files.push(['labels', values.labels]);
  let model;
  if (values.model) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(values.model));
    } catch {
      throw new LanternError('not-found', `Cannot read model "${values.model}": no such file.`);
    }
    model = parseModel(bytes, values.model.split(/[\\/]/).pop() ?? values.model);
  }
  const db = await openCommandDb({ fresh: true });
  const sources = [];
  for (const [table, path] of files) sources.push([table, await openInput(db, path)] as const);
  const names: Record<string, string> = {};
  for (const [table, source] of sources) {
    const loaded = await loadDataset(db, nodeParquet, source, { table });
    names[table] = loaded.name;
  }
  const setup = await inferSetup(
    db,
    sources.map(([table]) => ({ table, name: names[table]! })),
    {
      hints: {
        current: 'current',
        ...(values.reference ? { reference: 'reference' } : {}),
        ...(values.labels ? { labels: 'labels' } : {}),
      },
    },
  );
  const inv = await runInvestigation(
    { db },
    { setup, ...(model ? { model, modelName: values.model!.split(/[\\/]/).pop() } : {}) },
    minSupport ? { minSupport } : {},
  );
  if (values.json)
    io.out(
      JSON.stringify({
        findings: inv.findings.slice(0, top).map(findingJson),
        setup: setupJson(setup, names),
        steps: inv.steps,
        rows: inv.rows,
        min_support: inv.minSupport,
        too_small: inv.tooSmall,
        window_unit: inv.windowUnit,
      }),
    );
  else io.out(text(inv, setup, top));
  return 0;
}
