import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Sanity of the second set of planted-bug fixtures, written by scripts/planted2/generate.py (tests never
 * call Python): every scenario names files that exist with the columns and rows it says (CSV, TSV, CSV.gz,
 * NDJSON, JSON array and Parquet, read here by the project's native DuckDB), the true roles point at real
 * columns, the labels are in a separate file or in the log as stated, and every planted bug has a known
 * kind, real columns, a segment and window that select exactly the rows its evidence counts, and evidence
 * that shows the bug.
 */

const ROOT = fileURLToPath(new URL('../fixtures/planted2/', import.meta.url));
const FIRST_GENERATOR_KINDS = new Set([
  'unit-change',
  'segment-shift',
  'missing-surge',
  'new-category',
  'stuck-value',
  'concept-drift',
  'score-drift',
  'failure-slice',
]);
const NEW_KINDS = new Set([
  'respelled-category',
  'swapped-features',
  'constant-prediction',
  'label-delay',
  'null-filled-default',
  'precision-loss',
  'clipped-feature',
  'duplicate-rows',
  'score-saturation',
  'traffic-drop',
  'label-noise',
  'timezone-shift',
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
  source: { dataset: string; package: string; time_axis: string };
  files: FileEntry[];
  join_id: string;
  timestamp: string;
  label: string;
  score: string | null;
  prediction: string | null;
  class_scores?: { class: string; column: string }[];
  reference_has_scores?: boolean;
  labels_file: { id: string; label: string; timestamp: string; duplicate_label_ids: number; labels_without_prediction: number } | null;
  labels_in_log: { column: string; rows: number; labelled_rows: number; unlabelled_rows: number } | null;
  features: string[];
  segments: string[];
  roles: Record<string, string>;
  period: { reference: [string, string]; current: [string, string] };
}

type Stats = Record<string, unknown>;
type Block = Record<string, unknown>;

interface Bug {
  id: string;
  kind: string;
  columns: string[];
  segment: { column: string; value: string | number }[];
  window: { start: string; end: string } | null;
  description: string;
  new_value?: string;
  replaces?: string;
  cap?: number;
  evidence: {
    rows_current_cell: number;
    rows_reference_segment: number;
    labelled_in_cell: number;
    drift?: Record<string, Record<string, Stats>>;
    performance: Record<string, Record<string, number | null | Record<string, number>>>;
  } & Record<string, unknown>;
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

async function readParquet(path: string): Promise<Table> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  const reader = await con.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  const columns = reader.columnNames();
  con.closeSync();
  db.closeSync();
  return { columns, rows };
}

async function readTable(path: string, format: string): Promise<Table> {
  if (format === 'parquet') return readParquet(path);
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
    if (cells.length !== columns.length) throw new Error(`${path}: ragged row`);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] === '' ? null : cells[i]]));
  });
  return { columns, rows };
}

const num = (s: unknown, key: string): number => {
  const v = (s as Stats | undefined)?.[key];
  if (typeof v !== 'number') throw new Error(`expected a number at ${key}, got ${String(v)}`);
  return v;
};
const block = (s: unknown, key: string): Block => {
  const v = (s as Block)[key];
  if (v === null || typeof v !== 'object') throw new Error(`expected an object at ${key}`);
  return v as Block;
};
const isMissing = (v: unknown) => v === null || v === undefined || v === '';

const scenarios = readdirSync(ROOT)
  .filter((d) => statSync(join(ROOT, d)).isDirectory())
  .sort();

const loaded = scenarios.map((dir) => ({
  dir,
  scenario: JSON.parse(readFileSync(join(ROOT, dir, 'scenario.json'), 'utf8')) as Scenario,
  truth: JSON.parse(readFileSync(join(ROOT, dir, 'truth.json'), 'utf8')) as Truth,
}));

describe('planted2 fixtures, across scenarios', () => {
  const bugs = loaded.flatMap((l) => l.truth.bugs);

  it('has at least three scenarios from three real data sets, with each task', () => {
    expect(loaded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(loaded.map((l) => l.scenario.source.dataset)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(loaded.map((l) => l.scenario.task))).toEqual(new Set(['binary', 'multiclass', 'regression']));
    for (const l of loaded) expect(l.scenario.source.dataset).not.toMatch(/flights|birdstrikes/);
  });

  it('plants at least eight bugs with unique ids, five or more of kinds the first generator does not plant', () => {
    expect(bugs.length).toBeGreaterThanOrEqual(8);
    expect(new Set(bugs.map((b) => b.id)).size).toBe(bugs.length);
    const fresh = new Set(bugs.map((b) => b.kind).filter((k) => !FIRST_GENERATOR_KINDS.has(k)));
    expect(fresh.size).toBeGreaterThanOrEqual(5);
    for (const b of bugs) expect(NEW_KINDS.has(b.kind) || FIRST_GENERATOR_KINDS.has(b.kind), b.kind).toBe(true);
  });

  it('covers the file formats, labels in the log, and a reference without scores', () => {
    const formats = new Set(loaded.flatMap((l) => l.scenario.files.map((f) => f.format)));
    for (const f of ['csv', 'tsv', 'csv.gz', 'ndjson', 'json-array', 'parquet']) expect(formats.has(f), f).toBe(true);
    expect(loaded.some((l) => l.scenario.labels_in_log !== null && l.scenario.labels_file === null)).toBe(true);
    expect(loaded.some((l) => l.scenario.reference_has_scores === false)).toBe(true);
  });

  it('stays small enough to commit (under 10 MB together)', () => {
    const total = loaded.flatMap((l) => l.scenario.files.map((f) => statSync(join(ROOT, l.dir, f.file)).size));
    expect(total.reduce((a, b) => a + b, 0)).toBeLessThan(10e6);
  });
});

describe.each(loaded)('planted2 scenario $dir', ({ dir, scenario: s, truth: t }) => {
  const path = (f: FileEntry) => join(ROOT, dir, f.file);
  const byRole = (role: FileEntry['role']) => s.files.filter((f) => f.role === role);
  const tables = new Map<string, Table>();
  const table = (role: 'reference' | 'current' | 'labels') => tables.get(role)!;

  beforeAll(async () => {
    for (const role of ['reference', 'current', 'labels'] as const) {
      const f = byRole(role)[0];
      if (f) tables.set(role, await readTable(path(f), f.format));
    }
  });

  it('names one reference, current and model file (and a labels file unless the labels are in the log), each as stated', () => {
    expect(s.scenario).toBe(dir);
    expect(t.scenario).toBe(dir);
    expect(['binary', 'multiclass', 'regression']).toContain(s.task);
    for (const role of ['reference', 'current', 'model'] as const) expect(byRole(role), role).toHaveLength(1);
    expect(byRole('labels')).toHaveLength(s.labels_in_log ? 0 : 1);
    for (const f of s.files) {
      expect(existsSync(path(f)), f.file).toBe(true);
      expect(statSync(path(f)).size, `${f.file} bytes`).toBe(f.bytes);
      if (f.role === 'model') continue;
      const tab = table(f.role);
      expect(tab.columns, `${f.file} columns`).toEqual(f.columns);
      expect(tab.rows.length, `${f.file} rows`).toBe(f.rows);
    }
    expect(byRole('model')[0]!.format).toBe('xgboost-json');
  });

  it('gives true roles that point at real columns, named without label / score / prediction / target / id', () => {
    const ref = table('reference').columns;
    const cur = table('current').columns;
    const lab = table('labels')?.columns ?? [];
    for (const c of [...ref, ...cur, ...lab]) {
      expect(c.toLowerCase(), c).not.toMatch(/label|score|prediction|target/);
      expect(c.toLowerCase(), c).not.toMatch(/(^|_)id($|_)/);
    }
    expect(cur).toContain(s.join_id);
    expect(ref).toContain(s.label);
    for (const c of [s.timestamp, ...s.features, ...s.segments]) {
      expect(ref).toContain(c);
      expect(cur).toContain(c);
    }
    const outputs = [s.score, s.prediction, ...(s.class_scores ?? []).map((x) => x.column)].filter((c): c is string => c !== null);
    for (const c of outputs) {
      expect(cur).toContain(c);
      if (s.reference_has_scores === false) expect(ref, `${c} is not in the reference`).not.toContain(c);
      else expect(ref).toContain(c);
    }
    for (const [c, role] of Object.entries(s.roles)) {
      expect([...ref, ...cur, ...lab]).toContain(c);
      expect(['id', 'timestamp', 'feature', 'prediction', 'score', 'label', 'segment', 'ignore']).toContain(role);
    }
    if (s.task === 'binary') expect(s.score).not.toBeNull();
    if (s.task === 'multiclass') expect(s.class_scores?.map((x) => x.class)).toEqual(s.classes);
  });

  it('has labels for most but not all predictions, in a file (with re-sends and strays) or in the log', () => {
    const cur = table('current');
    if (s.labels_in_log) {
      expect(cur.columns).toContain(s.label);
      const missing = cur.rows.filter((r) => isMissing(r[s.label])).length;
      expect(missing).toBe(s.labels_in_log.unlabelled_rows);
      expect(cur.rows.length - missing).toBe(s.labels_in_log.labelled_rows);
      expect(missing).toBeGreaterThan(0);
      expect(missing / cur.rows.length).toBeLessThan(0.5);
      // the recent rows are the unlabelled ones: the last tenth of the log by time has more NULLs than the first
      const sorted = [...cur.rows].sort((a, b) => String(a[s.timestamp]).localeCompare(String(b[s.timestamp])));
      const tenth = Math.floor(sorted.length / 10);
      const share = (rows: Record<string, unknown>[]) => rows.filter((r) => isMissing(r[s.label])).length / rows.length;
      expect(share(sorted.slice(-tenth))).toBeGreaterThan(share(sorted.slice(0, tenth)) + 0.3);
      return;
    }
    const lf = s.labels_file!;
    expect(cur.columns, 'the log has no labels').not.toContain(s.label);
    const ids = new Set(cur.rows.map((r) => String(r[s.join_id])));
    const labelIds = table('labels').rows.map((r) => String(r[lf.id]));
    const distinct = new Set(labelIds);
    const matched = [...ids].filter((id) => distinct.has(id)).length;
    expect(matched / ids.size).toBeGreaterThan(0.8);
    expect(matched).toBeLessThan(ids.size);
    expect(labelIds.length - distinct.size).toBe(lf.duplicate_label_ids);
    expect(lf.duplicate_label_ids).toBeGreaterThan(0);
    expect([...distinct].filter((id) => !ids.has(id)).length).toBe(lf.labels_without_prediction);
  });

  it("has a model whose features are the scenario's features", () => {
    const model = JSON.parse(readFileSync(path(byRole('model')[0]!), 'utf8')) as {
      learner: { feature_names: string[]; objective: { name: string } };
    };
    expect(model.learner.feature_names).toEqual(s.features);
    expect(model.learner.objective.name).toBe(byRole('model')[0]!.objective);
  });

  it.each(t.bugs.map((b) => [b.id, b] as const))('bug %s is well formed, selects the rows it counts, and its evidence shows it', (_, b) => {
    const cur = table('current');
    const ref = table('reference');
    expect(b.description.length).toBeGreaterThan(40);
    expect(b.columns.length).toBeGreaterThan(0);
    const all = new Set([...cur.columns, ...ref.columns, ...(table('labels')?.columns ?? [])]);
    for (const c of b.columns) expect(all.has(c), c).toBe(true);
    for (const seg of b.segment) expect(cur.columns).toContain(seg.column);
    if (b.window !== null) {
      expect(b.window.start).toMatch(ISO_DATE);
      expect(b.window.end).toMatch(ISO_DATE);
      expect(b.window.start < b.window.end).toBe(true);
      expect(b.window.start >= s.period.current[0]).toBe(true);
      expect(b.window.end <= s.period.current[1]).toBe(true);
    }
    const inSegment = (r: Record<string, unknown>) => b.segment.every((seg) => String(r[seg.column]) === String(seg.value));
    const inWindow = (r: Record<string, unknown>) => {
      if (b.window === null) return true;
      const ts = String(r[s.timestamp]);
      return ts >= b.window.start && ts < b.window.end;
    };
    const cellRows = cur.rows.filter((r) => inSegment(r) && inWindow(r));
    const rest = cur.rows.filter((r) => !(inSegment(r) && inWindow(r)));
    const ev = b.evidence;
    expect(cellRows.length, 'segment x window selects the cell').toBe(ev.rows_current_cell);
    expect(ev.rows_current_cell).toBeGreaterThan(0);
    expect(ev.labelled_in_cell).toBeLessThanOrEqual(ev.rows_current_cell);

    const perf = ev.performance;
    const cell = perf['cell']!;
    const other = perf['rest_of_log']!;
    const drift = (col: string, cmp: string) => block(ev.drift![col]!, cmp);
    switch (b.kind) {
      case 'unit-change': {
        const col = b.columns[0]!;
        expect(num(drift(col, 'cell_vs_reference_segment'), 'wasserstein_normed')).toBeGreaterThan(1);
        expect(num(drift(col, 'cell_before_bug_vs_reference_segment'), 'wasserstein_normed')).toBeLessThan(1);
        expect(num(drift(col, 'cell_vs_reference_segment'), 'ks_p_value')).toBeLessThan(1e-6);
        break;
      }
      case 'swapped-features': {
        const swap = block(ev, 'swap');
        expect(swap['rows_swapped']).toBe(ev.rows_current_cell);
        expect(swap['share_home_elo_equal_true_away_rating']).toBe(1);
        // each column alone barely moves against the same rows before the bug; the model suffers
        for (const col of b.columns) {
          const inCell = num(drift(col, 'cell_vs_reference_segment'), 'wasserstein_normed');
          const beforeBug = num(drift(col, 'cell_before_bug_vs_reference_segment'), 'wasserstein_normed');
          expect(Math.abs(inCell - beforeBug)).toBeLessThan(0.1);
        }
        expect(cell['accuracy'] as number).toBeLessThan((perf['cell_before_bug']!['accuracy'] as number) - 0.1);
        expect(cell['log_loss'] as number).toBeGreaterThan(other['log_loss'] as number);
        break;
      }
      case 'respelled-category': {
        const col = b.columns[0]!;
        expect(b.new_value!.trim().toLowerCase()).toBe(b.replaces!.trim().toLowerCase());
        expect(b.new_value).not.toBe(b.replaces);
        const w = drift(col, 'window_vs_reference');
        expect(w['new_categories']).toContain(b.new_value);
        expect(w['missing_categories']).toContain(b.replaces);
        expect(num(w, 'share_ref')).toBe(0);
        expect(cellRows.every((r) => r[col] === b.new_value)).toBe(true);
        expect(cur.rows.filter((r) => inWindow(r) && r[col] === b.replaces)).toHaveLength(0);
        expect(ref.rows.some((r) => r[col] === b.replaces)).toBe(true);
        break;
      }
      case 'constant-prediction': {
        const c = block(ev, 'constant');
        expect(c['distinct_prob_home_win_in_cell']).toBe(1);
        expect(c['distinct_tip_in_cell']).toBe(1);
        for (const col of b.columns) expect(new Set(cellRows.map((r) => String(r[col]))).size, col).toBe(1);
        const replay = block(ev, 'replay');
        expect(replay['rows_where_model_file_disagrees_in_cell']).toBe(ev.rows_current_cell);
        expect(replay['rows_where_model_file_disagrees_elsewhere']).toBe(0);
        expect(cell['log_loss'] as number).toBeGreaterThan(perf['cell_had_model_served']!['log_loss'] as number);
        break;
      }
      case 'label-delay': {
        const l = block(ev, 'labels');
        expect(num(l, 'labelled_share_in_cell')).toBeLessThan(num(l, 'labelled_share_other_competitions_same_window') - 0.2);
        expect(num(l, 'labelled_share_in_cell')).toBeLessThan(num(l, 'labelled_share_segment_before_window') - 0.2);
        expect(num(l, 'median_label_delay_days_in_cell')).toBeGreaterThan(10 * num(l, 'median_label_delay_days_elsewhere'));
        break;
      }
      case 'null-filled-default': {
        const col = b.columns[0]!;
        const fill = block(ev, 'default_fill');
        expect(num(fill, 'zero_share_in_cell')).toBeGreaterThan(0.3);
        expect(num(fill, 'zero_share_before_window')).toBe(0);
        expect(num(fill, 'zero_share_reference')).toBe(0);
        const miss = block(block(ev, 'missing'), col);
        expect(num(miss, 'share_in_cell')).toBe(0);
        expect(num(miss, 'share_before_window')).toBeGreaterThan(0.3);
        expect(cellRows.some((r) => isMissing(r[col]))).toBe(false);
        expect(cellRows.filter((r) => Number(r[col]) === 0).length).toBe(fill['rows_filled']);
        break;
      }
      case 'precision-loss': {
        const col = b.columns[0]!;
        const p = block(ev, 'precision');
        expect(num(p, 'share_multiple_of_10_in_cell')).toBe(1);
        expect(num(p, 'share_multiple_of_10_rest_of_log')).toBeLessThan(0.3);
        expect(num(p, 'distinct_in_cell')).toBeLessThan(num(p, 'distinct_in_cell_before_bug') / 3);
        const values = cellRows.filter((r) => !isMissing(r[col])).map((r) => Number(r[col]));
        expect(values.every((v) => v % 10 === 0)).toBe(true);
        break;
      }
      case 'clipped-feature': {
        const col = b.columns[0]!;
        const c = block(ev, 'clip');
        expect(num(c, 'max_in_cell')).toBe(b.cap);
        expect(num(c, 'max_in_cell_before_bug')).toBeGreaterThan(b.cap!);
        expect(num(c, 'share_at_cap_in_cell')).toBeGreaterThan(0.1);
        expect(num(c, 'share_at_cap_before_window')).toBe(0);
        expect(Math.max(...cellRows.map((r) => Number(r[col])))).toBe(b.cap);
        break;
      }
      case 'duplicate-rows': {
        const d = block(ev, 'duplicates');
        const ids = cellRows.map((r) => String(r[s.join_id]));
        expect(ids.length - new Set(ids).size).toBe(d['extra_rows']);
        expect(num(d, 'extra_rows')).toBeGreaterThan(ev.rows_current_cell / 2);
        const restIds = rest.map((r) => String(r[s.join_id]));
        expect(new Set(restIds).size, 'no duplicate ids outside the window').toBe(restIds.length);
        break;
      }
      case 'score-saturation': {
        const sat = block(ev, 'saturation');
        expect(num(sat, 'share_exactly_0_or_1_in_cell')).toBeGreaterThan(0.95);
        expect(num(sat, 'share_exactly_0_or_1_rest_of_log')).toBe(0);
        const saturated = cellRows.filter((r) => Number(r[s.score!]) === 0 || Number(r[s.score!]) === 1).length;
        expect(saturated / cellRows.length).toBeGreaterThan(0.95);
        expect(cell['log_loss'] as number).toBeGreaterThan(3 * (perf['cell_before_bug']!['log_loss'] as number));
        break;
      }
      case 'traffic-drop': {
        const tr = block(ev, 'traffic');
        expect(num(tr, 'segment_share_of_log_in_window')).toBeLessThan(num(tr, 'segment_share_of_log_before_window') / 4);
        expect(num(tr, 'rows_in_window')).toBeLessThan(num(tr, 'rows_in_window_before_bug') / 4);
        break;
      }
      case 'label-noise': {
        expect(ev['labels_changed_in_cell'] as number).toBeGreaterThan(ev.labelled_in_cell / 5);
        const orig = perf['cell_with_original_labels']!;
        expect(cell['log_loss'] as number).toBeGreaterThan(orig['log_loss'] as number);
        expect(cell['roc_auc'] as number).toBeLessThan((orig['roc_auc'] as number) - 0.1);
        break;
      }
      case 'timezone-shift': {
        const h = block(ev, 'hours');
        expect(num(h, 'share_reviewed_18h_or_later_in_cell')).toBeGreaterThan(0.3);
        expect(num(h, 'share_reviewed_18h_or_later_rest_of_log')).toBe(0);
        expect(num(h, 'share_reviewed_18h_or_later_reference')).toBe(0);
        expect(num(drift(b.columns[0]!, 'cell_vs_reference_segment'), 'wasserstein_normed')).toBeGreaterThan(1);
        expect(num(drift(b.columns[0]!, 'cell_before_bug_vs_reference_segment'), 'wasserstein_normed')).toBeLessThan(0.3);
        const hourOf = (r: Record<string, unknown>) => Number(String(r[s.timestamp]).slice(11, 13));
        expect(cellRows.filter((r) => hourOf(r) >= 18).length / cellRows.length).toBeCloseTo(
          num(h, 'share_reviewed_18h_or_later_in_cell'),
          10,
        );
        expect(rest.some((r) => hourOf(r) >= 18)).toBe(false);
        break;
      }
      case 'missing-surge': {
        const col = b.columns[0]!;
        const m = block(ev, 'missing');
        expect(num(m, 'share_in_cell')).toBeGreaterThan(0.5);
        expect(num(m, 'share_rest_of_log')).toBeLessThan(0.1);
        expect(cellRows.filter((r) => isMissing(r[col])).length / cellRows.length).toBeCloseTo(num(m, 'share_in_cell'), 10);
        expect(cell['log_loss'] as number).toBeGreaterThan(other['log_loss'] as number);
        break;
      }
      default:
        throw new Error(`no check for kind ${b.kind}`);
    }
  });
});
