/**
 * Which dataset is the training data, which the prediction log and which the labels that came later, and
 * which column is the label, the score, the prediction, the id and the time - from the structure of the
 * files dropped together, not only from column names:
 *
 * - a file whose only column besides an id (and times) is one more column is a labels file, and that
 *   column its label, when its ids are found in another file;
 * - a column of the training data that the log lacks, with the values of a prediction (or two values
 *   where the log has a probability), is the label;
 * - the score is the column of fractions in [0, 1] that agrees with the predictions (or ranks the label
 *   best in the training data); the prediction the column with the label's values.
 *
 * Every choice carries the reason a person reads; roles the user set by hand are never changed.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { inferPositiveClass } from '../labels/task';
import type { ColumnRole } from '../roles';
import { ident, num, oneOf, raw, select, sql } from '../sql';
import { detectEmbeddings } from '../multivariate/embeddingColumns';
import { looksLikeId, looksLikeTime, ownRoles } from './columns';
import { findOutputPair } from './pairs';
import { tableFacts, type ColumnFacts, type TableFacts } from './facts';
import type { DatasetPart, DatasetSetup, PartHints, RoleChoice, Setup, SetupInput } from './types';
import { keepFirst } from '../keepFirst';

const REFERENCE_NAME = /train|reference|\bref\b|baseline|valid|holdout|histor|backtest/i;
const CURRENT_NAME = /prod|current|live|\blog\b|_log|log_|serving|scor|inference|predictions?\b|requests?/i;
const LABELS_NAME = /label|truth|outcome|actual|feedback|assess|annotat|ground/i;

/** Share of a sample of one table's ids found among another table's ids. */
async function idOverlap(db: Db, a: string, aCol: string, b: string, bCol: string, signal?: AbortSignal): Promise<number> {
  const q = select(
    { hit: num(raw('count(*) FILTER (WHERE found)::DOUBLE'), 0), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM (SELECT k, k IN (SELECT CAST(${ident(bCol)} AS VARCHAR) FROM ${ident(b)}) AS found FROM (SELECT DISTINCT CAST(${ident(aCol)} AS VARCHAR) AS k FROM ${ident(a)} WHERE ${ident(aCol)} IS NOT NULL LIMIT 2000))`,
  );
  const r = await oneOf(db, q, { signal });
  return r.n > 0 ? r.hit / r.n : 0;
}

interface Working {
  facts: TableFacts;
  roles: Record<string, RoleChoice>;
  user: Record<string, ColumnRole>;
  part: DatasetPart;
  partReason: string;
}

/** Columns by name, built once per table: a wide file has thousands, looked up once per other column. */
const byNameCache = new WeakMap<TableFacts, Map<string, ColumnFacts>>();
function col(w: Working, name: string): ColumnFacts | undefined {
  let m = byNameCache.get(w.facts);
  if (!m) byNameCache.set(w.facts, (m = new Map(w.facts.columns.map((c) => [c.name, c]))));
  return m.get(name);
}
const withRole = (w: Working, role: ColumnRole) => w.facts.columns.filter((c) => w.roles[c.name]?.role === role).map((c) => c.name);

function setRole(w: Working, column: string, choice: RoleChoice): void {
  if (w.user[column] !== undefined) return;
  w.roles[column] = choice;
}

/** Columns that are neither ids nor times. */
const dataColumns = (w: Working) =>
  w.facts.columns.filter((c) => !['id', 'timestamp', 'ignore'].includes(w.roles[c.name]!.role)).map((c) => c.name);

const fmt = (x: number) => Number(x.toPrecision(3)).toString();
const list = (xs: readonly string[], n = 4) => xs.slice(0, n).join(', ') + (xs.length > n ? ', ...' : '');
const isFraction = (f: ColumnFacts | undefined) =>
  f !== undefined && f.kind === 'numeric' && f.integral === false && (f.min ?? -1) >= 0 && (f.max ?? 2) <= 1;

/** How well a score separates a binary label (ROC AUC by the rank-sum), in one query. */
async function rocAuc(db: Db, table: string, score: string, label: ColumnFacts, positive: string, signal?: AbortSignal): Promise<number> {
  const y =
    label.kind === 'numeric'
      ? sql`(CAST(${ident(label.name)} AS DOUBLE) = ${Number(positive)})`
      : label.kind === 'boolean'
        ? sql`(${ident(label.name)} = ${positive === '1'})`
        : sql`(CAST(${ident(label.name)} AS VARCHAR) = ${positive})`;
  const s = ident(score);
  const q = select(
    {
      u: num(raw('(sum(r) FILTER (WHERE y) - count(*) FILTER (WHERE y) * (count(*) FILTER (WHERE y) + 1) / 2)::DOUBLE'), 0),
      pos: num(raw('count(*) FILTER (WHERE y)::DOUBLE'), 0),
      neg: num(raw('count(*) FILTER (WHERE NOT y)::DOUBLE'), 0),
    },
    sql`FROM (SELECT ${y} AS y, rank() OVER (ORDER BY CAST(${s} AS DOUBLE)) + (count(*) OVER (PARTITION BY CAST(${s} AS DOUBLE)) - 1) / 2.0 AS r FROM ${ident(table)} WHERE isfinite(CAST(${s} AS DOUBLE)) AND ${ident(label.name)} IS NOT NULL)`,
  );
  const r = await oneOf(db, q, { signal });
  return r.pos > 0 && r.neg > 0 ? r.u / (r.pos * r.neg) : 0.5;
}

/**
 * How a score column and a prediction column agree: the share of rows where "score >= t" equals
 * "prediction is positive", at the best threshold t among the scores of predicted positives.
 */
async function thresholdAgreement(
  db: Db,
  table: string,
  score: string,
  prediction: ColumnFacts,
  positive: string,
  signal?: AbortSignal,
): Promise<{ agreement: number; threshold: number | null }> {
  const s = sql`CAST(${ident(score)} AS DOUBLE)`;
  const p =
    prediction.kind === 'numeric'
      ? sql`(CAST(${ident(prediction.name)} AS DOUBLE) = ${Number(positive)})`
      : prediction.kind === 'boolean'
        ? sql`(${ident(prediction.name)} = ${positive === '1'})`
        : sql`(CAST(${ident(prediction.name)} AS VARCHAR) = ${positive})`;
  const q = select(
    {
      lo: num(sql`min(${s}) FILTER (WHERE ${p})`),
      hi: num(sql`max(${s}) FILTER (WHERE NOT ${p})`),
      n: num(raw('count(*)::DOUBLE'), 0),
    },
    sql`FROM ${ident(table)} WHERE isfinite(${s}) AND ${ident(prediction.name)} IS NOT NULL`,
  );
  const r = await oneOf(db, q, { signal });
  if (r.n === 0 || !Number.isFinite(r.lo)) return { agreement: 0, threshold: null };
  // The threshold a person set is round: 0.5 rather than the smallest score that happened to be above it.
  const round = [0.5, ...Array.from({ length: 19 }, (_, i) => (i + 1) / 20)].find((t) => t <= r.lo && !(r.hi >= t));
  if (round !== undefined) return { agreement: 1, threshold: round };
  const agree = select(
    { ok: num(sql`count(*) FILTER (WHERE (${s} >= ${r.lo}) = ${p})::DOUBLE`, 0), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(table)} WHERE isfinite(${s}) AND ${ident(prediction.name)} IS NOT NULL`,
  );
  const a = await oneOf(db, agree, { signal });
  return { agreement: a.n > 0 ? a.ok / a.n : 0, threshold: r.lo };
}

const sameValues = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a !== undefined && b !== undefined && a.length > 0 && a.every((v) => b.includes(v));

/** Infers the setup of the datasets loaded together. `hints` fix the parts (the CLI names its files). */
export async function inferSetup(
  db: Db,
  inputs: readonly SetupInput[],
  options: { hints?: PartHints; signal?: AbortSignal } = {},
): Promise<Setup> {
  const { signal } = options;
  const hints = options.hints ?? {};
  const work: Working[] = [];
  for (const input of inputs) {
    throwIfAborted(signal);
    const facts = await tableFacts(db, input.table, input.name, signal);
    const user = input.userRoles ?? {};
    const roles = ownRoles(facts.columns);
    for (const [column, role] of Object.entries(user)) if (roles[column]) roles[column] = { role, by: 'user', reason: 'set by you' };
    work.push({ facts, roles, user, part: 'other', partReason: '' });
  }
  const notes: string[] = [];
  const byTable = (t: string | undefined) => work.find((w) => w.facts.table === t);

  // 1. A labels file: one data column besides ids and times, whose ids are found in another file.
  let labels: Working | undefined = byTable(hints.labels);
  let join: Setup['join'] = null;
  let log: Working | undefined = byTable(hints.current);
  const candidates = labels
    ? [labels]
    : work.filter((w) => dataColumns(w).length === 1 && w.facts.columns.some((c) => looksLikeId(c) || w.roles[c.name]?.role === 'id'));
  // A file named like labels is tried first when several could be.
  candidates.sort((a, b) => Number(LABELS_NAME.test(b.facts.name)) - Number(LABELS_NAME.test(a.facts.name)));
  for (const l of candidates) {
    const lIds = withRole(l, 'id');
    let best: { w: Working; logCol: string; labelCol: string; overlap: number } | undefined;
    for (const other of work) {
      if (other === l || (log && other !== log)) continue;
      for (const oc of withRole(other, 'id')) {
        for (const lc of lIds) {
          const overlap = await idOverlap(db, l.facts.table, lc, other.facts.table, oc, signal);
          if (overlap >= 0.5 && (!best || overlap > best.overlap)) best = { w: other, logCol: oc, labelCol: lc, overlap };
        }
      }
    }
    if (!best) continue;
    labels = l;
    log = best.w;
    join = { log: best.logCol, labels: best.labelCol };
    const only = dataColumns(l);
    l.part = 'labels';
    l.partReason = `its ${best.labelCol} values are found in ${best.w.facts.name} (${Math.round(best.overlap * 100)}% of them)`;
    if (only.length === 1)
      setRole(l, only[0]!, {
        role: 'label',
        by: 'structure',
        reason: `the only column of ${l.facts.name} besides its id and times, joined by ${best.labelCol}`,
      });
    for (const t of withRole(l, 'timestamp'))
      setRole(l, t, { role: 'ignore', by: 'structure', reason: `when each label arrived; the log's own time is used` });
    break;
  }
  if (hints.labels && labels && !join)
    notes.push(`No id of ${labels.facts.name} is found in the log: mark the id column of both files in the Data view.`);

  // 2. The reference and the log among the other datasets.
  const rest = work.filter((w) => w !== labels);
  let reference = byTable(hints.reference);
  if (!log && rest.length > 0) {
    const named = rest.find((w) => w !== reference && CURRENT_NAME.test(w.facts.name) && !REFERENCE_NAME.test(w.facts.name));
    log = named ?? (rest.length === 1 ? rest[0] : undefined);
    if (log) log.partReason = named ? `its name says it is the production log` : 'the only data file besides the labels';
  } else if (log && !log.partReason)
    log.partReason = hints.current ? 'given as the current data' : `the labels in ${labels?.facts.name} join its ${join?.log}`;
  if (!reference) {
    const others = rest.filter((w) => w !== log);
    reference =
      others.find((w) => REFERENCE_NAME.test(w.facts.name)) ??
      // The earlier data is the reference when names do not tell.
      (log ? others.sort((a, b) => lastTime(a) - lastTime(b))[0] : undefined);
    if (reference)
      reference.partReason = REFERENCE_NAME.test(reference.facts.name)
        ? 'its name says it is training or reference data'
        : lastTime(reference) < lastTime(log!)
          ? `its times end before ${log!.facts.name}'s`
          : 'the other data file';
  } else reference.partReason = 'given as the reference';
  if (!log && reference) {
    log = rest.find((w) => w !== reference);
    if (log) log.partReason = 'the data file that is not the reference';
  }
  if (
    log &&
    reference &&
    !hints.current &&
    !hints.reference &&
    !labels &&
    !CURRENT_NAME.test(log.facts.name) &&
    lastTime(log) < lastTime(reference)
  ) {
    // Two files and no other clue: the later one is the log.
    [log, reference] = [reference, log];
    log.partReason = `its times start after ${reference.facts.name}'s`;
    reference.partReason = 'its times come first';
  }
  if (log) log.part = 'current';
  if (reference) reference.part = 'reference';
  for (const w of work) if (w.part === 'other' && !w.partReason) w.partReason = 'not needed by the analyses';

  // 3. The label, the prediction and the score.
  let label: Setup['label'] = null;
  if (labels) {
    const l = withRole(labels, 'label')[0];
    if (l) label = { table: labels.facts.table, column: l };
  }
  if (!label && reference && log) {
    // A column of the training data the log lacks is what the model predicts.
    const missing = dataColumns(reference).filter((c) => !col(log!, c));
    const logOutputs = dataColumns(log).filter((c) => !col(reference!, c));
    const prediction = logOutputs.map((c) => col(log!, c)!).find((p) => p.values && p.values.length <= 30);
    const pick =
      missing.find((c) => reference!.roles[c]?.by === 'user' && reference!.roles[c]?.role === 'label') ??
      missing.find((c) => prediction && sameValues(prediction.values, col(reference!, c)?.values)) ??
      missing.find((c) => (col(reference!, c)?.values?.length ?? 99) === 2) ??
      (missing.length === 1 ? missing[0] : undefined) ??
      missing.find((c) => reference!.roles[c]?.role === 'label');
    if (pick) {
      label = { table: reference.facts.table, column: pick };
      const f = col(reference, pick)!;
      setRole(reference, pick, {
        role: 'label',
        by: 'structure',
        reason: `in ${reference.facts.name} but not in ${log.facts.name}${f.values ? `, with the values ${list(f.values)}` : ''}`,
      });
    }
  }
  if (!label) {
    // Named like a label in the log or the reference (labels kept in the log itself).
    for (const w of [log, reference]) {
      const named = w ? withRole(w, 'label')[0] : undefined;
      if (w && named) {
        label = { table: w.facts.table, column: named };
        break;
      }
    }
  }
  if (!label && log) {
    // Kept in the same files under names that say neither: a column and the model's estimate of it.
    const fit = reference ?? log;
    const shared = (c: string) => col(log!, c) && col(fit, c);
    // The numbers of an embedding (emb_0, emb_1, ...) move together by construction: never a label and its estimate.
    const embedded = new Set(detectEmbeddings(fit.facts.columns, log.facts.columns).flatMap((e) => e.columns));
    const numeric = dataColumns(fit)
      .filter((c) => shared(c) && fit.roles[c]?.role !== 'score' && !embedded.has(c))
      .map((c) => col(fit, c)!);
    // A model answers every request: its output is filled in every row of the log.
    const always = numeric.filter((c) => {
      const inLog = col(log!, c.name)!;
      return inLog.nonNull >= 0.99 * inLog.rows;
    });
    const pair = await findOutputPair(db, fit.facts.table, numeric, always, signal);
    if (pair) {
      label = { table: fit.facts.table, column: pair.label };
      const how = `in ${fit.facts.name}`;
      setRole(fit, pair.label, {
        role: 'label',
        by: 'structure',
        reason: `moves one for one with ${pair.prediction} (slope ${pair.slope.toFixed(2)}, correlation ${pair.correlation.toFixed(2)}, means ${fmt(pair.labelMean)} and ${fmt(pair.predictionMean)} ${how}) and spreads more: what it predicts`,
      });
      for (const w of [fit, log])
        setRole(w, pair.prediction, {
          role: 'prediction',
          by: 'structure',
          reason: `the label ${pair.label} moves one for one with it ${how} and spreads more: a model's estimate of it`,
        });
    }
  }
  const labelFacts = label ? col(byTable(label.table)!, label.column) : undefined;
  if (label) {
    // The same column in the other files is the label too, never a feature.
    for (const w of [reference, log])
      if (w && col(w, label.column) && w.facts.table !== label.table)
        setRole(w, label.column, {
          role: 'label',
          by: 'structure',
          reason: `the label (${label.column}) of ${byTable(label.table)!.facts.name}`,
        });
  }

  const outputs = log ? await inferOutputs(db, log, reference, label, labelFacts, signal) : { score: null, prediction: null };
  const { score, prediction } = outputs;
  // Model outputs in the reference carry the same roles as in the log.
  if (reference && log)
    for (const c of [score, prediction, ...withRole(log, 'score')])
      if (c && col(reference, c)) setRole(reference, c, { ...log.roles[c]!, reason: `as in ${log.facts.name}: ${log.roles[c]!.reason}` });
  // Columns of the log that the training data lacks and that are not outputs: not compared, not features.
  const timestamp = log ? pickTimestamp(log) : null;

  if (!log) notes.push('Drop the production log (the predictions the model made) to investigate it.');
  else if (!reference) notes.push('Drop the training data (or any reference period) to compare the log against it.');
  if (log && !label) notes.push('No label found: drop the file of labels that arrived later, or mark the label column in the Data view.');
  if (log && label && !score && !prediction)
    notes.push('No model output found in the log: mark the score or prediction column in the Data view.');

  return {
    datasets: work.map<DatasetSetup>((w) => ({
      table: w.facts.table,
      name: w.facts.name,
      part: w.part,
      partReason: w.partReason,
      roles: w.roles,
    })),
    reference: reference?.facts.table ?? null,
    current: log?.facts.table ?? null,
    labels: labels && join ? labels.facts.table : null,
    join,
    label,
    score,
    prediction,
    timestamp,
    notes,
  };

  function lastTime(w: Working): number {
    const t = w.facts.columns.filter((c) => looksLikeTime(c) && c.lastMs !== undefined);
    return t.length ? Math.max(...t.map((c) => c.lastMs!)) : Number.POSITIVE_INFINITY;
  }
}

/**
 * Fractions tried as the score at most. Each is a query or two against every prediction-like column and
 * the label; a table of 10,000 columns of values in [0, 1] made 20,000 queries (90 s) before it was
 * capped. A model's outputs are named so, only in the log, or appended at its end: those come first.
 */
const MAX_SCORE_CANDIDATES = 64;

function scoreCandidates<T extends { name: string }>(fractions: T[], named: (f: T) => boolean, onlyInLog: (c: string) => boolean): T[] {
  const rank = (f: T) => (named(f) ? 0 : onlyInLog(f.name) ? 1 : 2);
  // Among equals the later column first (outputs are appended): reversed, kept, and back in file order.
  return keepFirst([...fractions].reverse(), MAX_SCORE_CANDIDATES, (a, b) => rank(a) - rank(b)).reverse();
}

/** A binary class column's values with the positive class first guess (1, true, yes, fraud... else the rarer). */
function positiveOf(values: readonly string[] | undefined): string | undefined {
  return values
    ? inferPositiveClass({ values: values.map((value) => ({ value, count: 0 })), distinct: values.length, integral: true })
    : undefined;
}

/**
 * The model's outputs in the log. A prediction takes the label's values (or, without a known label, two
 * values); a binary score is a column of fractions in [0, 1]. A score and a prediction that agree through
 * one threshold identify each other; otherwise the score is the fraction that ranks the label best in the
 * training data, and columns only the log has (what the model added) come first. Per-class probabilities
 * are the fractions named after a class.
 */
async function inferOutputs(
  db: Db,
  log: Working,
  reference: Working | undefined,
  label: Setup['label'],
  labelFacts: ColumnFacts | undefined,
  signal?: AbortSignal,
): Promise<{ score: string | null; prediction: string | null }> {
  const logData = dataColumns(log).filter((c) => c !== label?.column);
  const onlyInLog = (c: string) => !reference || !col(reference, c);
  const classes = labelFacts?.values;
  const isPredictionLike = (f: ColumnFacts) =>
    f.values !== undefined && f.values.length >= 1 && (classes ? sameValues(f.values, classes) : f.values.length === 2);
  const predictions = logData.map((c) => col(log, c)!).filter(isPredictionLike);
  const fractions = scoreCandidates(
    logData.map((c) => col(log, c)!).filter(isFraction),
    (f) => log.roles[f.name]?.role === 'score',
    onlyInLog,
  );
  const refLabel = label && reference ? col(reference, label.column) : undefined;
  const positive = positiveOf(classes);
  const binary = classes ? classes.length === 2 : predictions.some((p) => p.values!.length === 2);

  // Per-class probabilities: fractions named after a class (p_minor, proba_cat, score_2).
  if (classes && classes.length > 2) {
    for (const f of fractions) {
      const cls = classes.find((k) => f.name.toLowerCase().endsWith(k.toLowerCase()) && f.name.length > k.length);
      if (cls)
        setRole(log, f.name, { role: 'score', by: 'structure', reason: `values in [0, 1], named after the class ${cls}: its probability` });
    }
  }

  let score: string | null = null;
  let prediction: string | null = null;
  const ranked: { score?: string; prediction?: string; rank: number; scoreReason?: string; predictionReason?: string }[] = [];
  if (binary) {
    // A score and a prediction that agree through one threshold.
    for (const p of predictions) {
      const pos = positive ?? positiveOf(p.values);
      if (pos === undefined) continue;
      for (const f of fractions) {
        throwIfAborted(signal);
        const a = await thresholdAgreement(db, log.facts.table, f.name, p, pos, signal);
        if (a.agreement < 0.98) continue;
        const t = Number(a.threshold?.toPrecision(4));
        const how = a.agreement < 1 ? ` on ${(a.agreement * 100).toFixed(1)}% of rows` : '';
        ranked.push({
          score: f.name,
          prediction: p.name,
          rank: 3 + a.agreement + (onlyInLog(f.name) ? 0.25 : 0),
          scoreReason: `values in [0, 1]; ${p.name} = ${pos} exactly where ${f.name} ≥ ${t}${how}`,
          predictionReason: `${p.name} = ${pos} exactly where the score ${f.name} ≥ ${t}${how}`,
        });
      }
    }
  }
  if (binary && refLabel && positive !== undefined) {
    // Without a prediction to agree with: the fraction that ranks the label best in the training data.
    for (const f of fractions) {
      if (!col(reference!, f.name)) continue;
      throwIfAborted(signal);
      const auc = await rocAuc(db, reference!.facts.table, f.name, refLabel, positive, signal);
      if (auc >= 0.7)
        ranked.push({
          score: f.name,
          rank: 1 + auc + (log.roles[f.name]?.role === 'score' ? 0.5 : 0),
          scoreReason: `values in [0, 1]; it ranks ${refLabel.name} with ROC AUC ${auc.toFixed(2)} in ${reference!.facts.name}`,
        });
    }
  }
  for (const f of fractions)
    if (binary && (log.roles[f.name]?.role === 'score' || onlyInLog(f.name)))
      ranked.push({
        score: f.name,
        rank: (log.roles[f.name]?.role === 'score' ? 1 : 0) + (onlyInLog(f.name) ? 0.75 : 0),
        scoreReason:
          log.roles[f.name]?.role === 'score'
            ? 'its name says it is a score, with values in [0, 1]'
            : `values in [0, 1], in the log but not in the training data: a model output`,
      });
  for (const p of predictions) {
    const named = log.roles[p.name]?.role === 'prediction';
    if (named || onlyInLog(p.name) || predictions.length === 1)
      ranked.push({
        prediction: p.name,
        rank: (named ? 1 : 0) + (onlyInLog(p.name) ? 0.75 : 0) + (predictions.length === 1 ? 0.25 : 0),
        predictionReason: classes
          ? `takes the label's values (${list(p.values!)})${onlyInLog(p.name) ? ', only in the log' : ''}`
          : `two values${onlyInLog(p.name) ? ', only in the log' : ''}: a predicted class`,
      });
  }
  ranked.sort((a, b) => b.rank - a.rank);
  for (const r of ranked) {
    if (r.score && !score && r.score !== prediction && log.user[r.score] === undefined) {
      score = r.score;
      setRole(log, score, { role: 'score', by: 'structure', reason: r.scoreReason! });
    }
    if (r.prediction && !prediction && r.prediction !== score && log.user[r.prediction] === undefined) {
      prediction = r.prediction;
      setRole(log, prediction, { role: 'prediction', by: 'structure', reason: r.predictionReason! });
    }
  }
  // Roles by name (regression predictions) or set by the user; a multiclass model has one score per class.
  if (!(classes && classes.length > 2)) score ??= withRole(log, 'score')[0] ?? null;
  prediction ??= withRole(log, 'prediction')[0] ?? null;
  return { score, prediction };
}

/** The log's time: the time column named like one, else the one with the most distinct values. */
function pickTimestamp(w: Working): string | null {
  const times = w.facts.columns.filter((c) => w.roles[c.name]?.role === 'timestamp');
  if (times.length === 0) return null;
  return [...times].sort((a, b) => b.distinct - a.distinct)[0]!.name;
}
