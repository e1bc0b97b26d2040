/**
 * Runs of days where a column that varies everywhere else holds one value: a feature feed that froze, or
 * a model answering with a fallback while its feature service timed out. The investigation's grid works
 * in windows of a week or a month, where a few frozen days are a minority of the rows and leave the mean
 * and spread nearly unchanged; this scan reads the log day by day, which costs one grouped query.
 */
import type { Db } from '../db';
import { ident, num, raw, rowsOf, select, sql, str, type Column, type Sql } from '../sql';
import { severity } from './severity';
import { fmt, pct } from './text';
import type { Finding } from './types';

export interface FrozenRun {
  column: string;
  value: number;
  /** First day of the run and the day after its last (ISO dates). */
  start: string;
  end: string;
  rows: number;
  days: number;
  /** Share of the other rows of the log with exactly this value. */
  elsewhereShare: number;
  /** The other rows' mean and standard deviation. */
  elsewhereMean: number;
  elsewhereSd: number;
  /** Chance that this many rows in a row take the value, at its share elsewhere. */
  p: number;
}

export interface FrozenInput {
  table: string;
  /** The log's timestamp as SQL. */
  tsSql: string;
  columns: string[];
  /** A run needs at least this many rows. */
  minRows: number;
  signal?: AbortSignal;
}

interface DayStats {
  day: string;
  n: number[];
  lo: number[];
  hi: number[];
  s: number[];
  q: number[];
}

/** Most columns one grouped query reads; beyond this the columns are read in several queries. */
const CHUNK = 40;
/** A column held constant on more than this share of ordinary days is constant by day by nature. */
const DAILY_CONSTANT = 0.05;
const P_MAX = 1e-3;
/** A value this common elsewhere is no sign of a frozen feed when it fills a day. */
const COMMON = 0.25;

async function dayStats(db: Db, input: FrozenInput, columns: string[]): Promise<DayStats[]> {
  const x = (c: string): Sql => sql`TRY_CAST(${ident(c)} AS DOUBLE)`;
  const shape: Record<string, Column<number> | Column<string>> = { day: str(sql`strftime(CAST(${raw(input.tsSql)} AS DATE), '%Y-%m-%d')`) };
  columns.forEach((c, i) => {
    shape[`n${i}`] = num(sql`count(${x(c)})::DOUBLE`, 0);
    shape[`lo${i}`] = num(sql`min(${x(c)})`, Number.NaN);
    shape[`hi${i}`] = num(sql`max(${x(c)})`, Number.NaN);
    shape[`s${i}`] = num(sql`sum(${x(c)})`, 0);
    shape[`q${i}`] = num(sql`sum(${x(c)} * ${x(c)})`, 0);
  });
  const rows = await rowsOf(
    db,
    select(shape, sql`FROM ${ident(input.table)} WHERE ${raw(input.tsSql)} IS NOT NULL GROUP BY ALL ORDER BY 1`),
    input.signal ? { signal: input.signal } : {},
  );
  return rows.map((r) => {
    const row = r as Record<string, number | string>;
    const pick = (p: string) => columns.map((_, i) => Number(row[`${p}${i}`]));
    return { day: String(row['day']), n: pick('n'), lo: pick('lo'), hi: pick('hi'), s: pick('s'), q: pick('q') };
  });
}

interface Candidate {
  column: number;
  value: number;
  from: number;
  to: number;
  rows: number;
}

/** Maximal runs of days (with values) where the column is one value, long enough to read. */
function runsOf(days: DayStats[], column: number, minRows: number): Candidate[] {
  const out: Candidate[] = [];
  let run: Candidate | null = null;
  const close = () => {
    if (run && run.rows >= minRows) out.push(run);
    run = null;
  };
  days.forEach((d, i) => {
    const n = d.n[column]!;
    // A day without a value in this column neither breaks nor extends a run.
    if (n === 0) return;
    const constant = d.lo[column] === d.hi[column];
    if (!constant) return close();
    const value = d.lo[column]!;
    if (run && run.value === value) {
      run.to = i;
      run.rows += n;
      return;
    }
    close();
    run = { column, value, from: i, to: i, rows: n };
  });
  close();
  return out;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export async function frozenRuns(db: Db, input: FrozenInput): Promise<FrozenRun[]> {
  const found: FrozenRun[] = [];
  for (let at = 0; at < input.columns.length; at += CHUNK) {
    const columns = input.columns.slice(at, at + CHUNK);
    const days = await dayStats(db, input, columns);
    for (let c = 0; c < columns.length; c++) {
      const candidates = runsOf(days, c, input.minRows);
      if (!candidates.length) continue;
      for (const run of candidates) {
        const inRun = (i: number) => i >= run.from && i <= run.to;
        // Ordinary days: outside the run, with enough rows that one value would be a surprise.
        const ordinary = days.filter((d, i) => !inRun(i) && d.n[c]! >= 5);
        if (ordinary.length < 3) continue;
        if (ordinary.filter((d) => d.lo[c] === d.hi[c]).length > DAILY_CONSTANT * ordinary.length) continue;
        let n = 0;
        let s = 0;
        let q = 0;
        days.forEach((d, i) => {
          if (inRun(i)) return;
          n += d.n[c]!;
          s += d.s[c]!;
          q += d.q[c]!;
        });
        const mean = n ? s / n : Number.NaN;
        const sd = n ? Math.sqrt(Math.max(0, q / n - mean * mean)) : Number.NaN;
        if (!(n >= input.minRows) || !(sd > 0)) continue;
        const start = days[run.from]!.day;
        const end = nextDay(days[run.to]!.day);
        const [same] = await rowsOf(
          db,
          select(
            { k: num(sql`count(*) FILTER (WHERE TRY_CAST(${ident(columns[c]!)} AS DOUBLE) = ${run.value})::DOUBLE`, 0) },
            sql`FROM ${ident(input.table)} WHERE NOT (CAST(${raw(input.tsSql)} AS DATE) BETWEEN CAST(${start} AS DATE) AND CAST(${days[run.to]!.day} AS DATE)) AND ${raw(input.tsSql)} IS NOT NULL`,
          ),
          input.signal ? { signal: input.signal } : {},
        );
        const share = (same?.k ?? 0) / n;
        // Each row of the run takes the value with the chance it has elsewhere (at least one row in n, so
        // that a value never seen elsewhere is not certain from a single day).
        // A common value (a 0/1 column's usual 0) held for a day is no sign of a frozen feed.
        if (share > COMMON) continue;
        const p = Math.exp(run.rows * Math.log(Math.max(share, 1 / n)));
        // Every day of every column is a chance for a run: the bar is divided among them (Bonferroni).
        if (!(p < P_MAX / (days.length * input.columns.length))) continue;
        found.push({
          column: columns[c]!,
          value: run.value,
          start,
          end,
          rows: run.rows,
          days: days.slice(run.from, run.to + 1).filter((d) => d.n[c]! > 0).length,
          elsewhereShare: share,
          elsewhereMean: mean,
          elsewhereSd: sd,
          p,
        });
      }
    }
  }
  return found;
}

/**
 * Runs over the same days as one finding (a fallback answer freezes every output at once). An output
 * frozen while its inputs move is a fallback answer, which the detail says.
 */
export function frozenFinding(runs: FrozenRun[], context: { rows: number; output: boolean }): Finding {
  const first = runs[0]!;
  const window = { start: first.start, end: first.end };
  const when = first.days === 1 ? `on ${first.start}` : `from ${first.start} to ${previousDay(first.end)}`;
  const names = runs.map((r) => r.column);
  const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const who = context.output ? `The model's output${names.length > 1 ? 's' : ''} ${listed}` : listed;
  const values = runs.map((r) => fmt(r.value)).join(', ');
  const never = runs.every((r) => r.elsewhereShare === 0);
  const elsewhere =
    runs.length > 1
      ? never
        ? 'never elsewhere'
        : 'values rare elsewhere'
      : first.elsewhereShare > 0
        ? `it takes that value for ${pct(first.elsewhereShare)} of the other rows (sd ${fmt(first.elsewhereSd)})`
        : `it never takes that value elsewhere (sd ${fmt(first.elsewhereSd)})`;
  const rows = Math.max(...runs.map((r) => r.rows));
  return {
    id: ['stuck-value', ...names, '', first.start, first.end].join('|'),
    kind: 'stuck-value',
    title: `${who} ${runs.length > 1 ? 'are' : 'is'} stuck at ${values} ${when} (${fmt(rows)} rows over ${first.days} day${first.days === 1 ? '' : 's'}), ${runs.length > 1 ? elsewhere : `where ${elsewhere}`}`,
    ...(context.output
      ? { detail: 'The same answer for every row while the inputs vary: a fallback or cached response was served instead of the model.' }
      : {}),
    // A frozen run is certain past a few rows: ten units, no variation to stand out from.
    severity: severity({ kind: 'stuck-value', magnitude: 10, reach: rows / Math.max(1, context.rows), contrast: 100 }),
    columns: names,
    segment: [],
    window,
    evidence: {
      value: first.value,
      rows,
      days: first.days,
      share_elsewhere: first.elsewhereShare,
      mean_elsewhere: first.elsewhereMean,
      sd_elsewhere: first.elsewhereSd,
      p: Math.max(...runs.map((r) => r.p)),
    },
    parts: runs.map((r) => ({
      scope: 'window' as const,
      segment: [],
      window,
      rows: r.rows,
      referenceRows: 0,
      evidence: { column: r.column, value: r.value, share_elsewhere: r.elsewhereShare },
    })),
    link: { view: 'drift', column: first.column, segment: [], window },
  };
}

const previousDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Frozen runs as findings: runs a stuck-value finding of the grid already tells are left out, and outputs
 * frozen over the same days (a fallback answer) are one finding.
 */
export async function frozenFindings(
  db: Db,
  input: FrozenInput,
  context: { rows: number; outputs: string[]; existing: Finding[] },
): Promise<Finding[]> {
  const { outputs, existing } = context;
  const fresh = (await frozenRuns(db, input)).filter(
    (run) =>
      !existing.some(
        (f) =>
          f.kind === 'stuck-value' &&
          f.columns.includes(run.column) &&
          !f.segment.length &&
          (!f.window || (f.window.start < run.end && run.start < f.window.end)),
      ),
  );
  const together = new Map<string, FrozenRun[]>();
  for (const run of fresh) {
    const key = `${run.start}|${run.end}|${outputs.includes(run.column)}`;
    together.set(key, [...(together.get(key) ?? []), run]);
  }
  return [...together.values()].map((runs) => frozenFinding(runs, { rows: context.rows, output: outputs.includes(runs[0]!.column) }));
}
