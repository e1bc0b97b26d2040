/**
 * The investigation: what is wrong with the model, where, and since when - found without being told where
 * to look. Over the training data, the prediction log, the labels that came later and the model, it
 * measures every input, the model's outputs, the labels and the model's error in every segment x window
 * cell (grid.ts, one scan per side), keeps the cells that stand out from their baseline and from the rest
 * of the log, confirms the strongest with the exact drift statistics, adds the slices where the model
 * fails and what the model relies on, and returns one list of findings ranked on one severity scale. The
 * app's Overview and `lantern investigate` both run this.
 */
import { LanternError, throwIfAborted } from '../errors';
import { attributionInputs } from '../checks/attribution';
import { timestampSql } from '../metrics/time';
import type { TreeEnsemble } from '../model/ensemble';
import type { RoleMap } from '../roles';
import { describeTable, type ColumnInfo } from '../schema';
import { sliceDimensions } from '../slices/dimensions';
import { ident, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { buildFindings, score, type BuildContext, type Scored } from '../findings/build';
import { categoryCounts, type CategoryCounts } from '../findings/categories';
import { screenGrid, type GridDimension } from '../findings/grid';
import {
  categoryShift,
  errorIncrease,
  labelsMissing,
  missingShare,
  numericShift,
  repeatedRows,
  roundedValues,
  stuckValue,
  unexplainedScore,
  unseenValues,
  volumeShare,
  type Measure,
} from '../findings/measures';
import { replayCounts, replayMismatch } from '../findings/replay';
import { opsFindings } from '../findings/ops';
import { fitScore } from '../findings/scoreFit';
import { inputsToScreen } from '../findings/wideInputs';
import { frozenFindings } from '../findings/frozen';
import { calendarColumns } from '../findings/calendar';
import { confirm } from '../findings/confirm';
import { roundingSteps } from '../findings/rounding';
import { rowErrorValueSql } from '../multivariate/reconstruction';
import { attributionFinding } from '../findings/attribution';
import { fitJoint, referenceHalfSql, jointContrast, jointShift, nameJointFindings } from '../findings/joint';
import { embeddingFindings } from '../findings/embedding';
import { detectEmbeddings } from '../multivariate/embeddingColumns';
import { adjust, candidates, testRuns, type RunTest, type ScanContext } from '../findings/scan';
import type { Investigation, InvestigationStep } from '../findings/types';
import { investigationUnit, minimumSupport } from '../findings/windows';
import type { Setup } from '../setup/types';
import { rowErrorSql, type RowErrorName } from '../slices/rowError';
import type { SliceSearcher } from '../slices/search';
import { failingSlices } from './failingSlices';
import { openPerformance, type PerformanceSession } from './performance';
import type { Run } from './run';

export interface InvestigateInput {
  setup: Setup;
  model?: TreeEnsemble | undefined;
  /** The model file's name, for titles. */
  modelName?: string | undefined;
}

export interface InvestigateOptions {
  /** Cells with fewer rows are never ranked (default: a quarter percent of the log, 30 to 200 rows). */
  minSupport?: number;
  onProgress?: (step: string, done: number, total: number) => void;
  /** Where the slice search's JS runs (the app: a worker of its own). */
  search?: SliceSearcher;
  /** The joined table the investigation creates (and drops). */
  out?: string;
}

/** Segmenting columns searched at most, and values per column. */
const MAX_DIMENSIONS = 24;
const MAX_SEGMENT_VALUES = 30;

const rolesOf = (setup: Setup, table: string | null): RoleMap =>
  Object.fromEntries(Object.entries(setup.datasets.find((d) => d.table === table)?.roles ?? {}).map(([c, r]) => [c, r.role]));

/** The logit of a probability column, clipped away from 0 and 1. */
function logitOf(column: string): Sql {
  const p = sql`least(greatest(CAST(${ident(column)} AS DOUBLE), 1e-6), 1 - 1e-6)`;
  return sql`ln(${p} / (1 - ${p}))`;
}

/** The per-row error the investigation ranks the model by, and its name in titles. */
function errorMeasure(session: PerformanceSession): { name: RowErrorName; title: string } {
  const spec = session.spec;
  if (spec.task === 'regression') return { name: 'absolute_error', title: 'absolute error (MAE)' };
  if (spec.task === 'binary' && spec.score) return { name: 'log_loss', title: 'log loss' };
  return { name: 'error_rate', title: 'error rate' };
}

export async function investigate(run: Run, input: InvestigateInput, options: InvestigateOptions = {}): Promise<Investigation> {
  const { db, signal } = run;
  const { setup } = input;
  const steps: InvestigationStep[] = [];
  const progress = (step: string, done: number) => options.onProgress?.(step, done, 7);
  if (!setup.current) throw new LanternError('usage', 'Drop the production log (the predictions the model made) to investigate it.');
  const current = setup.current;
  const reference = setup.reference;
  const logRoles = rolesOf(setup, current);
  const refRoles = reference ? rolesOf(setup, reference) : {};

  // 1. Labels joined to the log, when there are labels and model outputs.
  progress('joining labels', 0);
  let session: PerformanceSession | undefined;
  const out = options.out ?? '__investigation_rows';
  if (setup.label && (setup.score || setup.prediction || Object.values(logRoles).includes('score'))) {
    try {
      session = await openPerformance(run, {
        data: current,
        labels: setup.labels ?? undefined,
        reference: reference && setup.label && refRoles[setup.label.column] === 'label' ? reference : undefined,
        choices: {
          ...(setup.join ? { id: setup.join.log } : {}),
          label: setup.label.column,
          ...(setup.score ? { score: setup.score } : {}),
          ...(setup.prediction ? { prediction: setup.prediction } : {}),
          ...(setup.timestamp ? { timestamp: setup.timestamp } : {}),
        },
        out,
      });
      steps.push({ step: 'performance', status: 'done' });
    } catch (error) {
      if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
      steps.push({ step: 'performance', status: 'skipped', reason: error.message });
    }
  } else
    steps.push({
      step: 'performance',
      status: 'skipped',
      reason: setup.label
        ? 'No model output found in the log: mark the score or prediction column in the Data view.'
        : 'No labels yet: drop the file of labels that arrived later, or mark the label column in the Data view.',
    });

  try {
    const table = session?.table ?? current;
    const columns = await describeTable(db, table);
    const refColumns = reference ? await describeTable(db, reference) : [];
    const inRef = (c: string) => !reference || refColumns.some((r) => r.name === c);
    const [{ n: rows }] = [await oneOf(db, select({ n: num(raw('count(*)::DOUBLE'), 0) }, sql`FROM ${ident(current)}`), { signal })];
    const refRows = reference
      ? (await oneOf(db, select({ n: num(raw('count(*)::DOUBLE'), 0) }, sql`FROM ${ident(reference)}`), { signal })).n
      : 0;
    const labelled = session?.setup.join.matched ?? 0;
    const minSupport = options.minSupport ?? minimumSupport(rows);
    const investigation: Investigation = {
      findings: [],
      steps,
      minSupport,
      tooSmall: 0,
      windowUnit: null,
      rows: { reference: refRows, current: rows, labelled },
    };

    const ts = setup.timestamp ? columns.find((c) => c.name === setup.timestamp) : undefined;
    // Without a time column the log is one window: segments are still screened, but nothing says since when.
    if (!ts)
      steps.push({
        step: 'windows',
        status: 'skipped',
        reason: 'No time column in the log: mark one in the Data view to see since when.',
      });
    const tsSql = ts ? timestampSql(ts.name, ts.kind) : "TIMESTAMP '2000-01-01 00:00:00'";
    const [span] = ts
      ? await db.query(
          `SELECT (epoch_ms(max(${tsSql})) - epoch_ms(min(${tsSql})))::DOUBLE AS s FROM ${ident(table)} WHERE ${tsSql} IS NOT NULL`,
          { signal },
        )
      : [{ s: 0 }];
    const unit = investigationUnit(Number(span?.['s'] ?? 0), rows, minSupport) ?? 'day';
    if (ts) investigation.windowUnit = unit === 'quarter' || unit === 'year' ? 'month' : unit;

    // 2. What is screened: inputs (in both files when there is a reference), the outputs, the label.
    const roleOf = (c: string) => logRoles[c] ?? (c === setup.label?.column ? 'label' : 'feature');
    // A column whose kind differs between the files (numbers in one, text in the other) cannot be cut or
    // compared the same way on both: it is left out and named.
    const retyped = reference
      ? columns.filter((c) => {
          const r = refColumns.find((x) => x.name === c.name);
          return r !== undefined && r.kind !== c.kind;
        })
      : [];
    const isInput = (c: ColumnInfo) =>
      (roleOf(c.name) === 'feature' || roleOf(c.name) === 'segment') && inRef(c.name) && !retyped.includes(c);
    if (retyped.length)
      steps.push({
        step: 'types',
        status: 'partial',
        reason: `Not compared, their type differs between the files: ${retyped
          .slice(0, 5)
          .map((c) => `${c.name} (${refColumns.find((x) => x.name === c.name)!.type} in the training data, ${c.type} in the log)`)
          .join(', ')}${retyped.length > 5 ? `, and ${retyped.length - 5} more` : ''}. The Drift view lists them.`,
      });
    // An embedding is one input (compared as vectors below), not dozens of numbered columns.
    const embeddings = detectEmbeddings(reference ? refColumns : columns, columns);
    const embedded = new Set(embeddings.flatMap((e) => (e.source === 'prefix' ? e.columns : [])));
    // A wide log is narrowed to the inputs that moved most (every column is still compared in the Drift view).
    const inputs = await inputsToScreen(
      db,
      { reference, current: table },
      {
        numeric: columns.filter((c) => isInput(c) && c.kind === 'numeric' && !embedded.has(c.name)).map((c) => c.name),
        categorical: columns.filter((c) => isInput(c) && (c.kind === 'string' || c.kind === 'boolean')).map((c) => c.name),
      },
      signal,
    );
    if (inputs.note) steps.push({ step: 'inputs', status: 'partial', reason: inputs.note });
    if (reference && inputs.numeric.length + inputs.categorical.length === 0)
      steps.push({
        step: 'inputs',
        status: 'skipped',
        reason:
          'The log and the training data share no input column: nothing was compared. Check that the right files were dropped together.',
      });
    const { numeric, categorical } = inputs;
    const screenedInput = new Set([...numeric, ...categorical]);
    const scoreCol = setup.score && inRef(setup.score) && columns.some((c) => c.name === setup.score) ? setup.score : undefined;
    // A predicted class is a category (its share of each class moves), a predicted number (regression) a number.
    const regression = session?.spec.task === 'regression';
    const hasPrediction = Boolean(setup.prediction && inRef(setup.prediction) && columns.some((c) => c.name === setup.prediction));
    const predictionCol = hasPrediction && !regression ? setup.prediction! : undefined;
    const numericPrediction = hasPrediction && regression ? setup.prediction! : undefined;
    const labelCol = session && reference && session.reference ? session.spec.label : undefined;

    progress('segments', 1);
    const sliceRoles: RoleMap = Object.fromEntries(columns.map((c) => [c.name, screenedInput.has(c.name) ? 'segment' : 'ignore']));
    const calendar = ts
      ? await calendarColumns(
          db,
          table,
          tsSql,
          columns.filter((c) => numeric.includes(c.name)),
          signal,
        )
      : new Map<string, string>();
    // A column that follows the calendar (an hour, a weekday) cut by calendar windows gives cells of a few days: not a segment.
    for (const c of calendar.keys()) sliceRoles[c] = 'ignore';
    for (const c of embedded) sliceRoles[c] = 'ignore';
    const textFirst = (name: string) => {
      const kind = columns.find((c) => c.name === name)?.kind;
      return kind === 'string' || kind === 'boolean' ? 0 : 1;
    };
    const dims: GridDimension[] = (await sliceDimensions(db, table, columns, sliceRoles, { maxValues: MAX_SEGMENT_VALUES, signal }))
      .filter((d) => d.kind === 'categorical')
      // Named groups (text, flags) first: a plan type says more than the 0/1 column derived from it. Then
      // the fewest values first.
      .sort((a, b) => textFirst(a.name) - textFirst(b.name) || a.values.length - b.values.length)
      .slice(0, MAX_DIMENSIONS)
      .map((d) => ({
        name: d.name,
        codeSql: d.codeSql,
        labels: d.values.map((v) => (v.predicate.op === 'is null' ? 'missing' : String(v.predicate.value))),
      }));

    // 3. The grid: one scan per side.
    progress('screening', 2);
    const error = session ? errorMeasure(session) : undefined;
    const logitName = '\u0000logit';
    const probability = Boolean(scoreCol && reference && refColumns.some((c) => c.name === scoreCol) && session?.spec.task === 'binary');
    const screened = [
      ...numeric,
      ...(scoreCol ? [scoreCol] : []),
      ...(numericPrediction ? [numericPrediction] : []),
      ...(probability ? [logitName] : []),
    ];
    const logitIndex = probability ? screened.indexOf(logitName) : -1;
    // Rows whose id repeats: a 0/1 column over the log's id (and the reference's, when it has one).
    const idColumn = setup.join?.log ?? Object.keys(logRoles).find((c) => logRoles[c] === 'id');
    const repeatName = '\u0000repeat';
    const repeats = Boolean(idColumn && columns.some((c) => c.name === idColumn));
    if (repeats) screened.push(repeatName);
    const repeatIndex = repeats ? screened.indexOf(repeatName) : -1;
    // Values rounded to a coarser step than the reference's: a 0/1 column per input that has finer values.
    const rounding = await roundingSteps(
      db,
      reference ?? table,
      numeric.filter((c) => !calendar.has(c)),
      signal,
    );
    const roundName = (c: string) => `\u0000round ${c}`;
    for (const [c] of rounding) screened.push(roundName(c));
    // Rows that no longer look like the reference's: each row's reconstruction error from the reference's inputs.
    const jointName = '\u0000joint';
    const joint = reference
      ? await fitJoint(
          db,
          reference,
          numeric.filter((c) => !calendar.has(c) && refColumns.find((r) => r.name === c)?.kind === 'numeric'),
          signal,
        )
      : null;
    if (joint) screened.push(jointName);
    const repeatSql = (id: string) => sql`CAST(count(*) OVER (PARTITION BY ${ident(id)}) > 1 AND ${ident(id)} IS NOT NULL AS DOUBLE)`;
    const expressions: Record<string, Sql | { current: Sql; reference: Sql | null }> = {};
    if (probability) expressions[logitName] = logitOf(scoreCol!);
    for (const [c, step] of rounding) expressions[roundName(c)] = sql`CAST(${ident(c)} = round(${ident(c)} / ${step}) * ${step} AS DOUBLE)`;
    // The baseline error from the reference rows the fit did not see, as the log's rows.
    if (joint)
      expressions[jointName] = {
        current: rowErrorValueSql(joint),
        reference: sql`CASE WHEN ${referenceHalfSql(joint.columns, true)} THEN ${rowErrorValueSql(joint)} END`,
      };
    if (repeats)
      expressions[repeatName] = { current: repeatSql(idColumn!), reference: inRef(idColumn!) && reference ? repeatSql(idColumn!) : null };
    // Labels joined from their own file: which rows still wait for theirs.
    const labelsJoined = Boolean(session && setup.labels);
    const other = [...categorical, ...(predictionCol ? [predictionCol] : []), ...(labelsJoined ? [session!.spec.label] : [])];
    const grid = await screenGrid(
      db,
      {
        current: {
          table,
          timeSql: tsSql,
          unit,
          ...(session && error ? { errorSql: rowErrorSql(session.spec, error.name) } : {}),
        },
        ...(reference
          ? {
              reference: {
                table: reference,
                ...(session?.reference && error ? { errorSql: rowErrorSql(session.reference, error.name) } : {}),
              },
            }
          : {}),
        dims,
        numeric: screened,
        expressions,
        other,
      },
      signal,
    );
    throwIfAborted(signal);
    progress('categories', 3);
    const counts: CategoryCounts[] = [];
    for (const c of [...categorical, ...(predictionCol ? [predictionCol] : []), ...(labelCol ? [labelCol] : [])]) {
      throwIfAborted(signal);
      counts.push(
        await categoryCounts(
          db,
          c,
          { table, timeSql: tsSql, unit },
          reference ? { table: reference } : undefined,
          dims,
          (w) => grid.windowOf(w),
          signal,
        ),
      );
    }

    // 4. Measures, tested cell by cell, one false-discovery family for the whole investigation.
    progress('testing', 4);
    const measures: Measure<unknown>[] = [];
    const rounded = new Map([...rounding.keys()].map((c) => [roundName(c), c]));
    screened.forEach((c, i) => {
      if (i === logitIndex) return;
      if (c === jointName) {
        measures.push(jointShift(grid, i, c) as Measure<unknown>);
        measures.push(jointContrast(grid, i, c) as Measure<unknown>);
        return;
      }
      if (rounded.has(c)) {
        measures.push(roundedValues(grid, i, rounded.get(c)!) as Measure<unknown>);
        return;
      }
      if (i === repeatIndex) {
        const m = repeatedRows(grid, i, idColumn!);
        // The reference's ids are another population's: a log's repeats are compared with its own history
        // unless the reference has the same id column.
        measures.push({ ...m, ...(inRef(idColumn!) && reference ? {} : { baseline: 'history' as const }) } as Measure<unknown>);
        return;
      }
      const output = c === scoreCol || c === numericPrediction;
      measures.push(numericShift(grid, i, c, output ? 'output-drift' : 'drift') as Measure<unknown>);
      measures.push(missingShare(grid, i, c) as Measure<unknown>);
      if (!output && !calendar.has(c)) measures.push(stuckValue(grid, i, c) as Measure<unknown>);
    });
    other.forEach((c, i) => {
      if (labelsJoined && c === session!.spec.label) measures.push(labelsMissing(grid, screened.length + i, c) as Measure<unknown>);
      else measures.push(missingShare(grid, screened.length + i, c) as Measure<unknown>);
    });
    if (dims.length) measures.push(volumeShare(grid, minSupport) as Measure<unknown>);
    for (const cc of counts) {
      const kind = cc.column === predictionCol ? 'output-drift' : cc.column === labelCol ? 'label-drift' : 'drift';
      measures.push(categoryShift(cc, kind) as Measure<unknown>);
      if (kind === 'drift' && reference) measures.push(unseenValues(cc) as Measure<unknown>);
    }
    // The model's error against the same rows of the reference when it has labels and outputs, else
    // against the segment's own history in the log.
    if (session && error)
      measures.push({
        ...errorIncrease(grid, error.title),
        ...(reference && !session.reference ? { baseline: 'history' as const } : {}),
      } as Measure<unknown>);
    // The score's move that its inputs do not explain: a fit of the score's logit (where trees add up)
    // on the inputs in the reference.
    if (logitIndex >= 0 && scoreCol && reference) {
      const inputs = numeric.map((name, index) => ({ name, index }));
      const fit = await fitScore(db, reference, logitOf(scoreCol), inputs, signal);
      if (fit) measures.push(unexplainedScore(grid, logitIndex, fit, scoreCol) as Measure<unknown>);
    }
    // The model file scores the log again: where its scores are not the logged ones, another model ran.
    const replayed = scoreCol ?? numericPrediction;
    if (input.model && replayed) {
      const replay = await replayCounts(
        db,
        input.model,
        { current, reference: reference ?? undefined, score: replayed, dims, timeSql: tsSql, unit, windowOf: (w) => grid.windowOf(w) },
        signal,
      );
      if (replay) measures.push(replayMismatch(replay, replayed) as Measure<unknown>);
      steps.push(
        replay
          ? { step: 'replay', status: 'done' }
          : { step: 'replay', status: 'skipped', reason: "The model's features do not match the log's columns: see the Explain view." },
      );
    }
    const segments = dims.flatMap((_, dim) => grid.codes(dim).map((code) => ({ dim, code })));
    const ctx: ScanContext = {
      windows: grid.windows.length,
      segments,
      minSupport,
      rows,
      hasReference: Boolean(reference),
      dimColumns: dims.map((d) => d.name),
    };
    const counter = { tooSmall: 0 };
    const tests: RunTest[] = [];
    measures.forEach((m, i) => {
      // Without a reference, only what the log itself can show: its own history.
      if (!reference && (m.aspect === 'error' || m.aspect === 'unseen')) return;
      tests.push(...testRuns(m, i, ctx, counter));
    });
    adjust(tests);
    investigation.tooSmall = counter.tooSmall;
    const build: BuildContext = {
      dims,
      windows: grid.windows,
      unit,
      rows,
      labelled,
      calendar,
      values: new Map(counts.map((c) => [c.column, c.values])),
      errorName: error?.title ?? 'error',
      score: scoreCol,
      prediction: predictionCol ?? numericPrediction,
      label: labelCol,
      model: input.modelName,
      roundingSteps: rounding,
    };
    const scored: Scored[] = measures.flatMap((m, i) => candidates(m, i, tests, ctx).map((c) => score(build, c, m)));
    let findings = buildFindings(build, scored);

    // 5. The strongest drift findings with the exact statistics of the drift report.
    progress('confirming', 5);
    if (reference) findings = await confirm(db, findings, { table, rows, reference, tsSql, dims, numeric: screened }, signal);

    // Days where a column froze: often shorter than a window of the grid, where they barely move a mean.
    const outputs = [
      ...new Set(
        [
          scoreCol,
          numericPrediction,
          ...columns.filter((c) => logRoles[c.name] === 'score' && c.kind === 'numeric').map((c) => c.name),
        ].filter((c): c is string => Boolean(c)),
      ),
    ];
    if (ts)
      findings.push(
        ...(await frozenFindings(
          db,
          { table, tsSql, columns: [...numeric.filter((c) => !calendar.has(c)), ...outputs], minRows: minSupport, signal },
          { rows, outputs, existing: findings },
        )),
      );

    if (joint && reference) findings = await nameJointFindings(db, findings, { model: joint, reference, current: table, tsSql }, signal);

    if (reference && embeddings.length) findings.push(...(await embeddingFindings(db, { reference, current: table, embeddings }, signal)));

    // 6. Slices where the model fails, and what the model relies on.
    progress('slices', 6);
    if (session && error) findings.push(...(await failingSlices(run, session, error, labelled, minSupport, findings, options.search)));
    if (input.model && reference) {
      try {
        const finding = attributionFinding(await attributionInputs(db, input.model, { reference, current }, signal));
        if (finding) findings.push(finding);
        steps.push({ step: 'attribution', status: 'done' });
      } catch (error) {
        if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
        steps.push({ step: 'attribution', status: 'skipped', reason: error.message });
      }
    }
    if (ts && reference && Object.values(logRoles).some((r) => r === 'latency' || r === 'status')) {
      try {
        const unit = investigation.windowUnit;
        findings.push(...(await opsFindings(db, { current, reference, roles: logRoles, timestamp: ts.name, unit }, signal)));
        steps.push({ step: 'operations', status: 'done' });
      } catch (error) {
        if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
        steps.push({ step: 'operations', status: 'skipped', reason: error.message });
      }
    }
    steps.push({ step: 'segments and windows', status: 'done' });
    progress('done', 7);
    investigation.findings = findings.sort((a, b) => b.severity - a.severity);
    return investigation;
  } finally {
    if (session) await session.dispose({ db }).catch(() => undefined);
  }
}
