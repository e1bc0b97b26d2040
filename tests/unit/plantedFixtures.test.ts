import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * Sanity of the planted-bug fixtures written by scripts/planted/generate.py (tests never call Python):
 * every scenario names files that exist and have the columns and rows it says, the true roles point at
 * real columns, the model's features are in the logs, and every planted bug has a valid kind, columns,
 * segment, window and evidence that really shows the bug in its cell.
 */

const ROOT = fileURLToPath(new URL('../fixtures/planted/', import.meta.url));
const KINDS = new Set([
  'unit-change',
  'segment-shift',
  'missing-surge',
  'new-category',
  'stuck-value',
  'concept-drift',
  'score-drift',
  'failure-slice',
]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface FileEntry {
  file: string;
  role: 'reference' | 'current' | 'labels' | 'model';
  format: string;
  rows: number;
  columns: string[];
  bytes: number;
  objective?: string;
}

interface Scenario {
  scenario: string;
  task: 'binary' | 'multiclass' | 'regression';
  positive_class: string | null;
  threshold: number | null;
  classes?: string[];
  source: { dataset: string; package: string };
  files: FileEntry[];
  join_id: string;
  timestamp: string;
  label: string;
  score: string | null;
  prediction: string | null;
  class_scores?: { class: string; column: string }[];
  labels_file: { id: string; label: string; timestamp: string; duplicate_label_ids: number; labels_without_prediction: number };
  features: string[];
  segments: string[];
  roles: Record<string, string>;
  period: { reference: [string, string]; current: [string, string] };
}

type Stats = Record<string, unknown>;
type Drift = Record<string, Record<string, Stats | null>>;

interface Bug {
  id: string;
  kind: string;
  columns: string[];
  segment: { column: string; value: string | number }[];
  window: { start: string; end: string } | null;
  description: string;
  new_value?: string;
  evidence: {
    rows_current_cell: number;
    rows_reference_segment: number;
    labelled_in_cell: number;
    drift: Drift;
    performance: Record<string, Record<string, number | null | Record<string, number>>>;
    missing?: Record<string, unknown>;
  };
}

interface Truth {
  scenario: string;
  conventions: Record<string, string>;
  baseline: Record<string, Stats>;
  bugs: Bug[];
}

interface Table {
  columns: string[];
  rows: Record<string, unknown>[];
}

function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function readTable(path: string, format: string): Table {
  const raw = readFileSync(path);
  const text = (format.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  if (format === 'json-array') {
    const rows = JSON.parse(text) as Record<string, unknown>[];
    return { columns: Object.keys(rows[0] ?? {}), rows };
  }
  if (format === 'ndjson') {
    const rows = text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { columns: Object.keys(rows[0] ?? {}), rows };
  }
  const sep = format.startsWith('tsv') ? '\t' : ',';
  const lines = text.split('\n').filter((l) => l.length > 0);
  const columns = splitLine(lines[0]!, sep);
  const rows = lines.slice(1).map((l) => {
    const cells = splitLine(l, sep);
    expect(cells.length, `${path}: ragged row`).toBe(columns.length);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  });
  return { columns, rows };
}

const num = (s: Stats | null | undefined, key: string): number => {
  const v = s?.[key];
  if (typeof v !== 'number') throw new Error(`expected a number at ${key}, got ${String(v)}`);
  return v;
};

const scenarios = readdirSync(ROOT)
  .filter((d) => statSync(join(ROOT, d)).isDirectory())
  .sort();

const loaded = scenarios.map((dir) => ({
  dir,
  scenario: JSON.parse(readFileSync(join(ROOT, dir, 'scenario.json'), 'utf8')) as Scenario,
  truth: JSON.parse(readFileSync(join(ROOT, dir, 'truth.json'), 'utf8')) as Truth,
}));

describe('planted-bug fixtures, across scenarios', () => {
  it('has at least three scenarios from at least two real data sets', () => {
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(loaded.map((l) => l.scenario.source.dataset)).size).toBeGreaterThanOrEqual(2);
    for (const l of loaded) expect(l.scenario.source.package).toBe('vega-datasets@3.2.1');
  });

  it('plants at least five distinct kinds of bug, with unique ids', () => {
    const bugs = loaded.flatMap((l) => l.truth.bugs);
    expect(new Set(bugs.map((b) => b.kind)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(bugs.map((b) => `${b.id}`)).size).toBe(bugs.length);
  });

  it('stays small enough to commit (under 15 MB together)', () => {
    const total = loaded.flatMap((l) => l.scenario.files.map((f) => statSync(join(ROOT, l.dir, f.file)).size));
    expect(total.reduce((a, b) => a + b, 0)).toBeLessThan(15e6);
  });
});

describe.each(loaded)('planted scenario $dir', ({ dir, scenario: s, truth: t }) => {
  const path = (f: FileEntry) => join(ROOT, dir, f.file);
  const byRole = (role: FileEntry['role']) => {
    const files = s.files.filter((f) => f.role === role);
    expect(files, `${dir}: one ${role} file`).toHaveLength(1);
    return files[0]!;
  };
  const tables = new Map<string, Table>();
  const table = (role: Exclude<FileEntry['role'], 'model'>) => {
    const f = byRole(role);
    if (!tables.has(role)) tables.set(role, readTable(path(f), f.format));
    return tables.get(role)!;
  };

  it('names one reference, current, labels and model file, each present with its size, columns and rows', () => {
    expect(s.scenario).toBe(dir);
    expect(t.scenario).toBe(dir);
    expect(['binary', 'multiclass', 'regression']).toContain(s.task);
    for (const f of s.files) {
      expect(existsSync(path(f)), f.file).toBe(true);
      expect(statSync(path(f)).size, `${f.file} bytes`).toBe(f.bytes);
    }
    for (const role of ['reference', 'current', 'labels'] as const) {
      const f = byRole(role);
      const tab = table(role);
      expect(tab.columns, `${f.file} columns`).toEqual(f.columns);
      expect(tab.rows.length, `${f.file} rows`).toBe(f.rows);
    }
    expect(byRole('model').format).toBe('xgboost-json');
  });

  it('gives true roles that point at real columns, and never names a column label / score / target', () => {
    const ref = table('reference').columns;
    const cur = table('current').columns;
    const lab = table('labels').columns;
    for (const c of [...ref, ...cur, ...lab]) expect(['label', 'score', 'target']).not.toContain(c.toLowerCase());
    expect(cur).toContain(s.join_id);
    expect(lab).toContain(s.labels_file.id);
    expect(lab).toContain(s.labels_file.label);
    expect(s.labels_file.label).toBe(s.label);
    expect(ref).toContain(s.label);
    expect(cur, 'the log has no labels').not.toContain(s.label);
    for (const c of [s.timestamp, ...s.features, ...s.segments]) {
      expect(ref).toContain(c);
      expect(cur).toContain(c);
    }
    for (const c of [s.score, s.prediction, ...(s.class_scores ?? []).map((x) => x.column)]) {
      if (c === null) continue;
      expect(ref).toContain(c);
      expect(cur).toContain(c);
    }
    for (const [c, role] of Object.entries(s.roles)) {
      expect([...ref, ...cur, ...lab]).toContain(c);
      expect(['id', 'timestamp', 'feature', 'prediction', 'score', 'label', 'segment', 'ignore']).toContain(role);
    }
    if (s.task === 'binary') expect(s.score).not.toBeNull();
    if (s.task === 'multiclass') expect(s.class_scores?.map((x) => x.class)).toEqual(s.classes);
  });

  it('has labels for most but not all predictions, duplicate label ids and labels without a prediction', () => {
    const ids = new Set(table('current').rows.map((r) => String(r[s.join_id])));
    const labelIds = table('labels').rows.map((r) => String(r[s.labels_file.id]));
    const distinct = new Set(labelIds);
    const matched = [...ids].filter((id) => distinct.has(id)).length;
    expect(matched / ids.size).toBeGreaterThan(0.8);
    expect(matched).toBeLessThan(ids.size);
    expect(labelIds.length - distinct.size).toBeGreaterThan(0);
    expect([...distinct].filter((id) => !ids.has(id)).length).toBe(s.labels_file.labels_without_prediction);
    expect(ids.size, 'prediction ids are unique').toBe(table('current').rows.length);
  });

  it("has a model whose features are the scenario's features", () => {
    const model = JSON.parse(readFileSync(path(byRole('model')), 'utf8')) as {
      learner: { feature_names: string[]; objective: { name: string } };
    };
    expect(model.learner.feature_names).toEqual(s.features);
    expect(model.learner.objective.name).toBe(byRole('model').objective);
  });

  it.each(t.bugs.map((b) => [b.id, b] as const))('bug %s is well formed and its evidence shows it', (_, b) => {
    const cur = table('current');
    const ref = table('reference');
    expect(KINDS.has(b.kind), b.kind).toBe(true);
    expect(b.description.length).toBeGreaterThan(20);
    expect(b.columns.length).toBeGreaterThan(0);
    const all = new Set([...cur.columns, ...ref.columns, ...table('labels').columns]);
    for (const c of b.columns) expect(all.has(c), c).toBe(true);
    for (const seg of b.segment) {
      expect(cur.columns).toContain(seg.column);
      expect(
        cur.rows.some((r) => String(r[seg.column]) === String(seg.value)),
        `${seg.column} = ${seg.value}`,
      ).toBe(true);
    }
    if (b.window !== null) {
      expect(b.window.start).toMatch(ISO_DATE);
      expect(b.window.end).toMatch(ISO_DATE);
      expect(b.window.start < b.window.end).toBe(true);
      expect(b.window.start >= s.period.current[0]).toBe(true);
      expect(b.window.end <= s.period.current[1]).toBe(true);
    }
    const ev = b.evidence;
    expect(ev.rows_current_cell).toBeGreaterThan(0);
    expect(ev.rows_reference_segment).toBeGreaterThanOrEqual(0);
    expect(ev.labelled_in_cell).toBeLessThanOrEqual(ev.rows_current_cell);

    const perf = ev.performance;
    const cell = perf['cell']!;
    const rest = perf['rest_of_log']!;
    const worse = (metric: string) => expect(cell[metric] as number, `${metric} in the cell`).toBeGreaterThan(rest[metric] as number);
    const numericDrift = (col: string) => {
      const d = ev.drift[col]!;
      const inCell = num(d['cell_vs_reference_segment'], 'wasserstein_normed');
      const whole = num(d['whole_log_vs_reference'], 'wasserstein_normed');
      expect(inCell, `${col}: drift in the cell`).toBeGreaterThan(0.3);
      expect(whole, `${col}: the whole column hides it`).toBeLessThan(inCell / 2);
      expect(num(d['cell_vs_reference_segment'], 'ks_p_value')).toBeLessThan(1e-6);
    };
    switch (b.kind) {
      case 'unit-change':
      case 'segment-shift':
      case 'stuck-value':
        numericDrift(b.columns[0]!);
        break;
      case 'score-drift': {
        numericDrift(s.score!);
        // The served scores are worse than the model file's own scores for the same rows would have been.
        const served = perf['cell_had_late_model_json_served'];
        if (served) expect(cell['log_loss'] as number).toBeGreaterThan(served['log_loss'] as number);
        break;
      }
      case 'missing-surge': {
        const m = ev.missing as Record<string, number>;
        expect(m['share_in_cell']).toBeGreaterThan(0.5);
        expect(m['share_rest_of_log']).toBeLessThan(0.1);
        worse('log_loss');
        break;
      }
      case 'new-category': {
        const d = ev.drift[b.columns[0]!]!;
        const w = d['window_vs_reference']!;
        expect((w['new_categories'] as string[]).includes(b.new_value!)).toBe(true);
        expect(num(w, 'share_ref')).toBe(0);
        expect(num(w, 'share_cur')).toBeGreaterThan(0);
        expect(num(d['whole_log_vs_reference'], 'share_cur')).toBeLessThan(num(w, 'share_cur'));
        break;
      }
      case 'concept-drift':
      case 'failure-slice':
        expect(ev.labelled_in_cell).toBeGreaterThan(50);
        if (s.task === 'regression') worse('mae');
        else worse('log_loss');
        if (s.task !== 'regression') expect(cell['accuracy'] as number).toBeLessThan(rest['accuracy'] as number);
        break;
    }
  });
});
