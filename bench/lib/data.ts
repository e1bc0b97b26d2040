/**
 * Deterministic synthetic data for the benchmark, written by native DuckDB (@duckdb/node-api): a
 * reference set and a production log with the same 31 columns (an id, a timestamp, 15 numerical and 10
 * categorical features, a flag, score, prediction and label), as CSV and Parquet.
 *
 * Randomness is a hash of (row, stream, seed), never random(): DuckDB's random() is only repeatable with
 * one thread, while hash() gives the same value for the same input on every run of the same DuckDB build.
 * The generated files carry a checksum in the results so that two runs can be seen to use the same data.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Bump when the generator changes, so cached files are rebuilt. */
export const DATA_VERSION = 2;

export const NUMERICAL = Array.from({ length: 12 }, (_, i) => `num_${i}`);
export const INTEGERS = ['int_0', 'int_1', 'int_2'];
/** Levels of each categorical column seg_0..seg_9 (the slice benchmark's "10 segment columns"). */
export const SEGMENT_LEVELS = [4, 5, 3, 8, 12, 6, 20, 2, 30, 50];
export const SEGMENTS = SEGMENT_LEVELS.map((_, i) => `seg_${i}`);
/** The model's inputs: every numerical and integer feature (xgboost takes numbers). */
export const MODEL_FEATURES = [...NUMERICAL, ...INTEGERS];
/** 20 feature columns for the drift report benchmark: 12 numerical, 3 integer, 5 categorical. */
export const DRIFT_COLUMNS = [...NUMERICAL, ...INTEGERS, ...SEGMENTS.slice(0, 5)];

const SECONDS_PER_WEEK = 7 * 86_400;

/** A uniform in (0, 1) from the top 53 bits of a hash of (row, stream). */
function u(stream: number, seed: number): string {
  return `((hash(i, ${stream}, ${seed}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
}

/** A standard normal by Box-Muller from two uniform streams. */
function normal(stream: number, seed: number): string {
  return `(sqrt(-2 * ln(${u(stream, seed)})) * cos(2 * pi() * ${u(stream + 100, seed)}))`;
}

export interface SideSpec {
  rows: number;
  seed: number;
  /** First prediction_id. */
  idOffset: number;
  /** Start of the time span, ISO; rows are spread evenly over `weeks`. */
  start: string;
  weeks: number;
  /** Plant drift, a new category and a failing segment from week 4 on (the production log). */
  drifted: boolean;
  /** Share of labels still missing (delayed), production log only. */
  missingLabels: number;
}

/** The SELECT that yields one side's rows, in prediction_id order (range() order, kept by insertion order). */
export function sideSql(s: SideSpec): string {
  const week = `(i * ${s.weeks}.0 / ${s.rows})`;
  const late = s.drifted ? `(${week} >= 4)` : 'FALSE';
  const nums = [
    `${normal(1, s.seed)} AS num_0`,
    `10 + 3 * ${normal(2, s.seed)} AS num_1`,
    `exp(3 + 0.8 * ${normal(3, s.seed)}) AS num_2`, // amounts: log-normal
    `${u(4, s.seed)} AS num_3`,
    `-ln(${u(5, s.seed)}) * 2 AS num_4`, // waiting times: exponential
    `round(${normal(6, s.seed)}, 2) AS num_5`, // ties
    `CASE WHEN ${u(7, s.seed)} < 0.02 THEN NULL ELSE 50 + 10 * ${normal(8, s.seed)} END AS num_6`, // 2% missing
    `${normal(9, s.seed)} * ${normal(10, s.seed)} AS num_7`,
    `100 * ${u(11, s.seed)} * ${u(12, s.seed)} AS num_8`,
    `CASE WHEN ${u(13, s.seed)} < 0.01 THEN NULL ELSE 0.5 * ${normal(14, s.seed)} END AS num_9`,
    `floor(${u(15, s.seed)} * 1000) / 10 AS num_10`,
    `${normal(16, s.seed)} + ${u(17, s.seed)} AS num_11`,
  ];
  const ints = [
    `floor(-ln(${u(20, s.seed)}) * 3)::INTEGER AS int_0`,
    `floor(${u(21, s.seed)} * 24)::INTEGER AS int_1`,
    `floor(${u(22, s.seed)} * 3650)::INTEGER AS int_2`,
  ];
  // Skewed level choice: u^2 favours the first levels, as real segment columns do.
  const segs = SEGMENT_LEVELS.map((levels, k) => {
    const base = `'s${k}_' || floor(${u(30 + k, s.seed)} * ${u(30 + k, s.seed)} * ${levels})::INTEGER`;
    // A category the reference never saw appears in seg_2 late in the log.
    if (k === 2 && s.drifted) return `CASE WHEN ${late} AND ${u(45, s.seed)} < 0.05 THEN 's2_new' ELSE ${base} END AS seg_${k}`;
    return `${base} AS seg_${k}`;
  });
  return `
    WITH base AS (
      SELECT i, ${s.idOffset} + i AS prediction_id,
        TIMESTAMP '${s.start}' + to_seconds((i * ${s.weeks * SECONDS_PER_WEEK}.0 / ${s.rows})::BIGINT) AS timestamp,
        ${nums.join(',\n        ')},
        ${ints.join(',\n        ')},
        ${segs.join(',\n        ')},
        ${u(50, s.seed)} < 0.3 AS flag,
        ${late} AS late,
        ${u(51, s.seed)} AS u_label, ${u(52, s.seed)} AS u_missing, ${normal(53, s.seed)} AS noise
      FROM range(${s.rows}) t(i)
    ),
    drifted AS (
      -- Planted drift: late rows of seg_0 = 's0_1' shift num_0 and num_2 upward.
      SELECT * REPLACE (
        CASE WHEN late AND seg_0 = 's0_1' THEN num_0 + 1.5 ELSE num_0 END AS num_0,
        CASE WHEN late AND seg_0 = 's0_1' THEN num_2 * 3 ELSE num_2 END AS num_2)
      FROM base
    ),
    scored AS (
      SELECT *,
        -- What the model learned (and what the reference obeys) ...
        -1.5 + 0.9 * num_0 + 0.4 * (num_1 - 10) / 3 + 0.6 * (ln(num_2) - 3) + 1.2 * (num_3 - 0.5)
          - 0.3 * num_4 + 0.5 * num_7 + 0.02 * (coalesce(num_6, 50) - 50) + 0.2 * int_0 AS model_logit,
        -- ... and the truth, which turns against the model late in one segment (seg_3 = 's3_2').
        CASE WHEN late AND seg_3 = 's3_2' THEN 2.5 - 2.5 * model_logit ELSE 0.0 END AS shift_logit
      FROM drifted
    )
    -- Six decimals, as a logging pipeline writes them (and a CSV of realistic size).
    SELECT prediction_id, timestamp, ${NUMERICAL.map((c) => `round(${c}, 6) AS ${c}`).join(', ')}, ${INTEGERS.join(', ')}, ${SEGMENTS.join(', ')}, flag,
      round(1 / (1 + exp(-(model_logit + 0.3 * noise))), 6) AS score,
      (1 / (1 + exp(-(model_logit + 0.3 * noise))) >= 0.5)::INTEGER AS prediction,
      CASE WHEN u_missing < ${s.missingLabels} THEN NULL
           ELSE (u_label < 1 / (1 + exp(-(model_logit + shift_logit))))::INTEGER END AS label
    FROM scored`;
}

export interface DataFiles {
  dir: string;
  /** The log the analysis scenarios use (its key in `log`); the reference has as many rows. */
  analysisLog: string;
  /** Production log of `rows` rows, by size label ("1m", "5m" or the small sizes). */
  log: Record<string, { rows: number; csv: string; parquet: string }>;
  /** Reference (training) set, for drift: same size as the drift log. */
  reference: { rows: number; csv: string; parquet: string };
  /** Training rows for the model (features + label) and the rows TreeSHAP explains (features only). */
  train: string;
  shapRows: { rows: number; csv: string };
  checksums: Record<string, string>;
}

export interface DataPlan {
  /** Log sizes: label -> rows. */
  logs: Record<string, number>;
  /** Logs written as Parquet only (the 10M-row log of the CLI scenario: a 2 GB CSV nobody loads). */
  parquetOnly?: readonly string[];
  /** Which log the drift / metrics / slices / browser scenarios use, and the reference's size. */
  analysisLog: string;
  trainRows: number;
  shapRows: number;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

/** Writes every file the plan needs that is not already cached for this DATA_VERSION; returns their paths. */
export async function generateData(dir: string, plan: DataPlan): Promise<DataFiles> {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  // BENCH_DATA_THREADS=1 generates gently on a shared machine; the files are the same either way.
  if (process.env['BENCH_DATA_THREADS']) await conn.run(`SET threads = ${Number(process.env['BENCH_DATA_THREADS'])}`);
  const files: DataFiles = {
    dir,
    analysisLog: plan.analysisLog,
    log: {},
    reference: { rows: 0, csv: '', parquet: '' },
    train: '',
    shapRows: { rows: plan.shapRows, csv: '' },
    checksums: {},
  };
  const analysisRows = plan.logs[plan.analysisLog];
  if (analysisRows === undefined) throw new Error(`no log ${plan.analysisLog} in the plan`);
  const logSpec = (rows: number): SideSpec => ({
    rows,
    seed: 2,
    idOffset: 10_000_000,
    start: '2026-08-03 00:00:00',
    weeks: 8,
    drifted: true,
    missingLabels: 0.05,
  });
  const refSpec = (rows: number): SideSpec => ({
    rows,
    seed: 1,
    idOffset: 0,
    start: '2026-06-01 00:00:00',
    weeks: 8,
    drifted: false,
    missingLabels: 0,
  });

  async function write(name: string, spec: SideSpec, formats: ('csv' | 'parquet')[], columns = '*'): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const pending = formats.filter((f) => !existsSync(join(dir, `${name}.v${DATA_VERSION}.${f}`)));
    if (pending.length > 0) {
      const started = performance.now();
      await conn.run(`CREATE OR REPLACE TABLE gen AS SELECT ${columns} FROM (${sideSql(spec)})`);
      for (const f of pending) {
        const path = join(dir, `${name}.v${DATA_VERSION}.${f}`);
        const tmp = `${path}.tmp`;
        rmSync(tmp, { force: true });
        const options =
          f === 'csv'
            ? "(FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')"
            : '(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)';
        await conn.run(`COPY gen TO '${tmp}' ${options}`);
        renameSync(tmp, path);
      }
      const [row] = (await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM gen`)).getRowObjectsJS();
      log(
        `generated ${name} (${pending.join(', ')}): ${Number(row?.['n'])} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      await conn.run('DROP TABLE gen');
    }
    for (const f of formats) {
      const path = join(dir, `${name}.v${DATA_VERSION}.${f}`);
      out[f] = path;
      files.checksums[`${name}.${f}`] = `${statSync(path).size} bytes`;
    }
    return out;
  }

  for (const [label, rows] of Object.entries(plan.logs)) {
    const paths = await write(`log_${label}`, logSpec(rows), plan.parquetOnly?.includes(label) ? ['parquet'] : ['csv', 'parquet']);
    files.log[label] = { rows, csv: paths['csv'] ?? '', parquet: paths['parquet']! };
  }
  const ref = await write(`reference_${plan.analysisLog}`, refSpec(analysisRows), ['csv', 'parquet']);
  files.reference = { rows: analysisRows, csv: ref['csv']!, parquet: ref['parquet']! };
  // The model learns from reference rows of its own seed, so the explained rows are unseen.
  files.train = (
    await write(`train_${plan.trainRows}`, { ...refSpec(plan.trainRows), seed: 3 }, ['csv'], `${MODEL_FEATURES.join(', ')}, label`)
  )['csv']!;
  // The rows TreeSHAP explains: the first rows of the analysis log, features only.
  const shapPath = join(dir, `shap_rows_${plan.analysisLog}_${plan.shapRows}.v${DATA_VERSION}.csv`);
  if (!existsSync(shapPath)) {
    const parquet = files.log[plan.analysisLog]!.parquet;
    await conn.run(
      `COPY (SELECT ${MODEL_FEATURES.join(', ')} FROM read_parquet('${parquet}') LIMIT ${plan.shapRows}) TO '${shapPath}.tmp' (FORMAT csv, HEADER true)`,
    );
    renameSync(`${shapPath}.tmp`, shapPath);
  }
  files.shapRows.csv = shapPath;
  files.checksums[`shap_rows.csv`] = `${statSync(shapPath).size} bytes`;
  conn.closeSync();
  instance.closeSync();
  return files;
}
