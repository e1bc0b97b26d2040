/**
 * The check suite file: versioned JSON, exported from the app and kept in a repository next to the model,
 * read by `lantern check` in CI. Every field is checked with zod on the way in, so a hand-edited file with a
 * typo is refused with the path of the bad field instead of running half a suite.
 */
import { z } from 'zod';
import { LanternError } from '../errors';
import { DRIFT_METHODS } from '../drift/methods';
import { costSettingsSchema } from '../metrics/costs';
import { customMetricSchema } from '../metrics/custom';
import { METRIC_NAMES } from '../metrics/performance';
import { ROW_ERRORS, type RowErrorName } from '../slices/rowError';

export const SUITE_FORMAT = 'lantern-check-suite';
export const SUITE_VERSION = 1;

const share = z.number().min(0).max(1);
const name = z.string().min(1);
const ALL_METRICS = [...new Set([...METRIC_NAMES.binary, ...METRIC_NAMES.multiclass, ...METRIC_NAMES.regression])] as [string, ...string[]];

const base = { id: name, title: z.string().optional() };
/** Upper bounds on a share: fail above `max`, warn above `warn` (when given, it is below `max`). */
const upper = { max: share, warn: share.optional() };

export const checkSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('schema'), columns: z.array(name) }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('drift-column'),
      column: name,
      method: z.enum(DRIFT_METHODS as unknown as [string, ...string[]]).optional(),
      threshold: z.number().nonnegative().optional(),
    })
    .strict(),
  z.object({ ...base, kind: z.literal('drift-share'), ...upper }).strict(),
  z.object({ ...base, kind: z.literal('missing-share'), column: name, ...upper }).strict(),
  z.object({ ...base, kind: z.literal('unseen-categories'), column: name, ...upper }).strict(),
  z.object({ ...base, kind: z.literal('out-of-range'), column: name, ...upper }).strict(),
  z.object({ ...base, kind: z.literal('duplicate-rows'), ...upper }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('metric'),
      metric: z.enum(ALL_METRICS),
      min: z.number().optional(),
      max: z.number().optional(),
      warnMin: z.number().optional(),
      warnMax: z.number().optional(),
    })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a metric check needs min or max' }),
  z
    .object({
      ...base,
      kind: z.literal('metric-vs-reference'),
      metric: z.enum(ALL_METRICS),
      /** Relative: 0.1 means the current value must lie within +-10% of the reference value. */
      tolerance: z.number().positive(),
      warn: z.number().positive().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('slices'),
      minRows: z.number().int().positive(),
      /** Largest allowed (slice mean per-row error - overall mean per-row error). */
      maxDifference: z.number().nonnegative(),
      warn: z.number().nonnegative().optional(),
      error: z.enum(Object.keys(ROW_ERRORS) as [RowErrorName, ...RowErrorName[]]).optional(),
      maxDepth: z.number().int().min(1).max(2).optional(),
    })
    .strict(),
  z.object({ ...base, kind: z.literal('attribution-drift'), feature: name.optional(), ...upper }).strict(),
  z
    .object({
      ...base,
      /**
       * Drift of a column concentrated in a segment: in no segment (a value of one of `segments`, or of any
       * column that can segment) is the Jensen-Shannon distance to the same segment of the reference at
       * least `max` and at least `ratio` times the median segment's (a drift every segment shares is the
       * column's drift, which drift-column checks). Segments of fewer than `minRows` rows are not judged.
       */
      kind: z.literal('segment-drift'),
      column: name,
      segments: z.array(name).optional(),
      max: z.number().positive(),
      ratio: z.number().positive(),
      /** Warn at this ratio (below `ratio`). */
      warn: z.number().positive().optional(),
      minRows: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      ...base,
      /** In every segment of `segment` with `minRows` labelled rows on both sides, `metric` is no worse than in the reference's same segment by more than `tolerance` (relative). */
      kind: z.literal('metric-by-segment'),
      metric: z.enum(ALL_METRICS),
      segment: name,
      tolerance: z.number().positive(),
      warn: z.number().positive().optional(),
      minRows: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('version-not-worse'),
      metric: z.enum(ALL_METRICS),
      /** Largest allowed loss of the challenger against the champion, in the metric's units. */
      margin: z.number().nonnegative(),
      /** Only the rows where `column` equals `value` (the column's values compared as text). */
      slice: z.object({ column: name, value: z.string() }).strict().optional(),
      /** Split logs with several versions: which one (default: the first after the baseline). */
      challenger: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('multivariate-drift'),
      /** Numerical columns (at least two); all shared numerical columns when left out. */
      columns: z.array(name).min(2).optional(),
      /** Share of the reference's variance the kept components explain. */
      explainedVariance: z.number().gt(0).max(1).optional(),
      /** Width of the band around the reference windows' mean error, in standard deviations. */
      sigmas: z.number().nonnegative().optional(),
      timestamp: name.optional(),
      window: z.enum(['hour', 'day', 'week', 'month']).optional(),
      chunks: z.number().int().positive().optional(),
    })
    .strict()
    .refine((c) => (c.timestamp === undefined) === (c.window === undefined), { message: 'timestamp and window go together' }),
  z
    .object({
      ...base,
      kind: z.literal('embedding-drift'),
      /** A list column's name or a prefix group's (`emb_*`); every embedding the data has when left out. */
      embedding: name.optional(),
      /** The result that decides: the domain classifier (Evidently's default), the mean vectors' distance, or the MMD. */
      method: z.enum(['model', 'distance', 'mmd']).optional(),
      /** At most this many vectors a side, drawn with a seed (large embeddings, or the MMD above 1,500 a side). */
      sample: z.number().int().min(2).optional(),
    })
    .strict(),
  /** The expected cost per labelled prediction at the suite's threshold: fail above `max`, warn above `warn`. */
  z.object({ ...base, kind: z.literal('cost'), costs: costSettingsSchema, max: z.number(), warn: z.number().optional() }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('custom-metric'),
      metric: customMetricSchema,
      min: z.number().optional(),
      max: z.number().optional(),
      warnMin: z.number().optional(),
      warnMax: z.number().optional(),
    })
    .strict()
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'a custom metric check needs min or max' }),
  /**
   * A latency percentile of the current log: at most `max` (in the column's unit), and/or at most
   * `tolerance` (relative) above the reference's. Latency and status columns are inferred as in the app.
   */
  z
    .object({
      ...base,
      kind: z.literal('latency'),
      percentile: z.enum(['p50', 'p95', 'p99']),
      latency: name.optional(),
      max: z.number().positive().optional(),
      tolerance: z.number().positive().optional(),
    })
    .strict()
    .refine((c) => c.max !== undefined || c.tolerance !== undefined, { message: 'a latency check needs max or tolerance' }),
  /** The error rate of the current log: at most `max`, and/or at most `margin` (absolute) above the reference's. */
  z
    .object({
      ...base,
      kind: z.literal('error-rate'),
      status: name.optional(),
      errorValues: z.array(z.string()).min(1).optional(),
      max: share.optional(),
      margin: share.optional(),
    })
    .strict()
    .refine((c) => c.max !== undefined || c.margin !== undefined, { message: 'an error-rate check needs max or margin' }),
]);

/** Where the versions are in the current data, for version checks; read from its columns when left out. */
export const versionsLayoutSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('paired'), champion: name, challenger: name }).strict(),
  z.object({ mode: z.literal('split'), version: name, output: name, baseline: z.string().optional() }).strict(),
]);

export const suiteSchema = z
  .object({
    format: z.literal(SUITE_FORMAT),
    version: z.literal(SUITE_VERSION),
    name: z.string().optional(),
    /** What a person should know about the suite (a preset that checks only some columns says which). */
    notes: z.array(z.string()).optional(),
    /** Column roles the performance checks use; inferred as in the app when left out. */
    settings: z
      .object({
        label: name.optional(),
        score: name.optional(),
        prediction: name.optional(),
        id: name.optional(),
        positive: z.string().optional(),
        threshold: z.number().optional(),
        driftShare: share.optional(),
        versions: versionsLayoutSchema.optional(),
      })
      .strict()
      .optional(),
    checks: z.array(checkSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of s.checks.entries()) {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `duplicate check id "${c.id}"` });
      seen.add(c.id);
    }
  });

export type Check = z.infer<typeof checkSchema>;
export type CheckKind = Check['kind'];
export type Suite = z.infer<typeof suiteSchema>;
export type SuiteSettings = NonNullable<Suite['settings']>;

/** Parses suite JSON text; any problem is a usage error naming the file's bad field. */
export function parseSuite(text: string, source = 'the suite'): Suite {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LanternError('usage', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = suiteSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new LanternError(
      'usage',
      `${source} is not a valid Lantern check suite (format ${SUITE_FORMAT}, version ${SUITE_VERSION}):\n${issues.join('\n')}`,
    );
  }
  return result.data;
}

/** Stable, diff-friendly text for version control: two-space indent, trailing newline. */
export function serializeSuite(suite: Suite): string {
  return `${JSON.stringify(suiteSchema.parse(suite), null, 2)}\n`;
}
