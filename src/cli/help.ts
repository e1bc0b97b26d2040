/**
 * What `lantern help <command>` and `lantern <command> --help` print besides the command's usage line:
 * what it does, what it exits with, and examples to copy. Kept apart from the commands so help never
 * loads the analysis core.
 */
export interface CommandHelp {
  summary: string;
  examples: string[];
  exit?: string;
}

const EXIT_INPUT = 'Exit codes: 0 success, 2 usage or input error (message on stderr, nothing on stdout).';

export const COMMAND_HELP: Record<string, CommandHelp> = {
  investigate: {
    summary: 'What is wrong with the model, where and since when: drift, data quality, performance and slices, as ranked findings.',
    examples: [
      'lantern investigate --reference training.parquet --current production.csv',
      'lantern investigate --reference training.csv --current production.csv --labels labels.csv --model model.json --json',
    ],
  },
  inspect: {
    summary: 'Rows, columns, types and the inferred role of each column (id, timestamp, feature, score, label, ...) of one data file.',
    examples: ['lantern inspect data.parquet', 'lantern inspect logs/ --json          # a folder or a glob of files read as one table'],
  },
  drift: {
    summary: "Per-column and dataset drift between a reference and a current file, with Evidently's methods and scipy's numbers.",
    examples: [
      'lantern drift --reference training.csv --current production.csv',
      'lantern drift --reference training.csv --current production.csv --columns amount,region --method amount=wasserstein --json',
      'lantern drift --reference training.csv --current production.csv --fail-on-drift   # exit 1 when the dataset drifted',
    ],
    exit: 'Exit codes: 0 success, 1 the dataset drifted (with --fail-on-drift), 2 usage or input error.',
  },
  metrics: {
    summary: 'Model performance on labelled rows, overall and by a column or a timestamp part; labels may come in a separate file.',
    examples: [
      'lantern metrics --data production.csv --label is_fraud --score score',
      'lantern metrics --data production.csv --labels labels.csv --id request_id --by region --json',
      'lantern metrics --data production.csv --labels labels.csv --by timestamp.week',
    ],
  },
  slices: {
    summary: 'The slices (combinations of column values) where the model fails most, and, with --reference, the slices that got worse.',
    examples: [
      'lantern slices --data production.csv --labels labels.csv --max-depth 2',
      'lantern slices --data production.parquet --label y --score p --metric log_loss --top 5 --json',
    ],
  },
  check: {
    summary: 'Runs a check suite for CI (one line per check, JUnit XML for CI dashboards); --preset writes a suite from the reference.',
    examples: [
      'lantern check --preset --reference training.csv --out checks.json',
      'lantern check --suite checks.json --reference training.csv --current production.csv --labels labels.csv --junit checks.xml',
    ],
    exit: 'Exit codes: 0 every check passed, 1 a check failed or could not be evaluated, 2 usage or input error.',
  },
  compare: {
    summary:
      'Champion against challenger on the same log: metrics with intervals, paired or split tests, slices where the challenger is worse, verdict.',
    examples: [
      'lantern compare --data shadow.csv --champion score_v1 --challenger score_v2 --label y',
      'lantern compare --data ab_log.parquet --score score --version model_version --baseline v1 --json',
    ],
  },
  report: {
    summary: 'A self-contained HTML report (aggregates and charts only, no rows) to attach to a CI run or send.',
    examples: [
      'lantern report --reference training.csv --current production.csv --out report.html',
      'lantern report --reference training.csv --current production.csv --labels labels.csv --suite checks.json --out report.html --json results.json',
    ],
  },
  explain: {
    summary: 'Exact TreeSHAP values (raw margin) of a tree model (XGBoost JSON, LightGBM text) for the rows of a data file.',
    examples: [
      'lantern explain --model model.json --data production.csv --limit 100',
      'lantern explain --model model.json --data production.csv --background training.csv --json',
    ],
  },
  validate: {
    summary:
      'Before deployment: fairness across sensitive columns, leakage, train against held-out gaps, robustness to noise and backtests over time.',
    examples: [
      'lantern validate --data holdout.csv --label approved --score score --sensitive sex,age_group --train train.csv',
      'lantern validate --data holdout.csv --label approved --score score --model model.json --json --junit validation.xml',
    ],
    exit: 'Exit codes: 0 every validation check passed, 1 a check failed, 2 usage or input error.',
  },
  profile: {
    summary:
      'A small, mergeable summary of a batch of rows (counts, sketches, value counts, metric counts) that drift, metrics, checks and history read when the rows are too many or gone.',
    examples: [
      'lantern profile --data production.parquet --out batch-2026-12-01.profile.json --timestamp ts --window day',
      'lantern profile merge day1.profile.json day2.profile.json --out week.profile.json',
      'lantern profile --emit-sql --table logs --data sample.csv --timestamp ts --window day   # SQL for a warehouse; read back with --from-rows',
    ],
  },
  history: {
    summary: 'Each batch profile against the reference: drift, data quality, metrics and volume, and the batches that regressed.',
    examples: [
      'lantern history --reference training.profile.json batches/*.profile.json',
      'lantern history --reference training.csv batches/*.profile.json --json --fail-on-regression',
    ],
    exit: 'Exit codes: 0 success, 1 a batch regressed (with --fail-on-regression), 2 usage or input error.',
  },
  ops: {
    summary:
      'Operational health of a request log: volume, latency p50/p95/p99 and error rate, per window and per group, against a reference.',
    examples: [
      'lantern ops --data requests.csv --latency latency_ms --status status --window day --json',
      'lantern ops --data requests.csv --reference last_month.csv --by model_version',
    ],
  },
  sql: {
    summary: 'A read-only SQL query over data files, each a table named after its file; prints CSV, or JSON with --json.',
    examples: [
      'lantern sql --data production.csv "SELECT region, count(*) FROM production GROUP BY ALL"',
      'lantern sql --data production.csv --data labels.csv --json "SELECT count(*) FROM production JOIN labels USING (id)"',
    ],
  },
};

export function commandHelp(name: string, usage: string): string {
  const help = COMMAND_HELP[name];
  if (!help) return usage;
  return [help.summary, '', usage, '', 'Examples:', ...help.examples.map((e) => `  ${e}`), '', help.exit ?? EXIT_INPUT].join('\n');
}
