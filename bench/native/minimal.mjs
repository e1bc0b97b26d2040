// The bare minimum in native DuckDB, as a user would script it: the counterpart of one `lantern` command
// in scenario 11 (bench/scenarios/11-cli-native.ts). Plain JavaScript, no tsx: `node minimal.mjs <mode> ...`.
// Prints `MINIMAL {"ms": ..., ...}` with the time from process start to the answer.
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, ...args] = process.argv.slice(2);
const conn = await (
  await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })
).connect();
const q = (sql) => conn.run(sql).then((r) => r.getRowObjects());
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const id = (s) => `"${s.replaceAll('"', '""')}"`;
const load = (table, path) => conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_parquet(${lit(path)})`);
const out = {};

if (mode === 'load') {
  // Load, count, describe: what `lantern inspect` reports.
  await load('t', args[0]);
  out.rows = Number((await q('SELECT count(*) AS n FROM t'))[0].n);
  out.columns = (await q(`SELECT column_name FROM information_schema.columns WHERE table_name = 't'`)).length;
} else if (mode === 'drift') {
  // Both files loaded; per numeric column the exact two-sample KS statistic (largest gap between the
  // empirical CDFs, over every distinct value), per text column the value counts of each side.
  const [reference, current, columns] = [args[0], args[1], args[2].split(',')];
  await load('r', reference);
  await load('c', current);
  const types = new Map(
    (await q(`SELECT column_name AS n, data_type AS t FROM information_schema.columns WHERE table_name = 'r'`)).map((x) => [x.n, x.t]),
  );
  out.ks = {};
  for (const col of columns) {
    if (types.get(col) === 'VARCHAR') {
      await q(`SELECT ${id(col)} AS v, count(*) AS n FROM r GROUP BY 1`);
      await q(`SELECT ${id(col)} AS v, count(*) AS n FROM c GROUP BY 1`);
      continue;
    }
    const [row] = await q(`WITH v AS (SELECT ${id(col)} AS x, 1 AS a, 0 AS b FROM r WHERE ${id(col)} IS NOT NULL
                                      UNION ALL SELECT ${id(col)}, 0, 1 FROM c WHERE ${id(col)} IS NOT NULL),
      g AS (SELECT x, sum(a) AS a, sum(b) AS b FROM v GROUP BY x),
      f AS (SELECT sum(a) OVER w / sum(a) OVER () AS fa, sum(b) OVER w / sum(b) OVER () AS fb FROM g WINDOW w AS (ORDER BY x))
      SELECT max(abs(fa - fb)) AS d FROM f`);
    out.ks[col] = Number(row.d);
  }
} else if (mode === 'metrics') {
  // Binary metrics of a scored, labelled log: confusion at 0.5, log loss, Brier, ROC AUC and average
  // precision from the per-score counts.
  await load('t', args[0]);
  const [m] = await q(`SELECT sum((score >= 0.5 AND label = 1)::INT) AS tp, sum((score >= 0.5 AND label = 0)::INT) AS fp,
      sum((score < 0.5 AND label = 0)::INT) AS tn, sum((score < 0.5 AND label = 1)::INT) AS fn,
      avg(-(label * ln(greatest(score, 1e-15)) + (1 - label) * ln(greatest(1 - score, 1e-15)))) AS log_loss,
      avg((score - label) ^ 2) AS brier FROM t WHERE label IS NOT NULL`);
  const [r] = await q(`WITH g AS (SELECT score AS s, sum(label) AS p, count(*) - sum(label) AS n FROM t WHERE label IS NOT NULL GROUP BY 1),
      w AS (SELECT p, n, sum(n) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS n_below,
                   sum(p) OVER (ORDER BY s DESC) AS tp, sum(n) OVER (ORDER BY s DESC) AS fp FROM g)
      SELECT sum(p * (coalesce(n_below, 0) + 0.5 * n)) / (sum(p) * sum(n)) AS auc, sum(CASE WHEN p > 0 THEN p * tp / (tp + fp) END) / sum(p) AS ap FROM w`);
  Object.assign(out, { tp: Number(m.tp), log_loss: m.log_loss, auc: r.auc, ap: r.ap });
} else if (mode === 'slices') {
  // Depth-2 slices: the error rate of every value and every pair of values of the segment columns, in
  // one GROUPING SETS scan, and the worst ten with enough rows.
  const columns = args[1].split(',');
  await load('t', args[0]);
  const sets = [...columns.map((a) => `(${id(a)})`), ...columns.flatMap((a, i) => columns.slice(i + 1).map((b) => `(${id(a)}, ${id(b)})`))];
  const rows = await q(`SELECT ${columns.map(id).join(', ')}, count(*) AS n, avg(((score >= 0.5)::INT <> label)::INT) AS err
      FROM t WHERE label IS NOT NULL GROUP BY GROUPING SETS (${sets.join(', ')}) HAVING count(*) >= 100 ORDER BY err DESC LIMIT 10`);
  out.worst = rows.length;
} else throw new Error(`unknown mode ${mode}`);

process.stdout.write(`MINIMAL ${JSON.stringify(out)}\n`);
