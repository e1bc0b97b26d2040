/**
 * The profile format: a small, mergeable summary of a batch of rows that every analysis can run on when
 * the rows are too many or long gone. Versioned, validated with zod on read; the same shape is written as
 * a JSON schema in docs/profile.schema.json (tests/unit/profileFormat.test.ts keeps the two in step).
 *
 * Every figure is a count or a sum, so merging two profiles is adding them (exact up to floating
 * summation): exact value counts of a column with few distinct values, a DDSketch-style log-bucket
 * histogram of every numeric column (Masson, Rim and Lee, "DDSketch", VLDB 2019) with a fixed index
 * mapping `ceil(ln(x) / ln(gamma))` that any SQL engine can compute, and the top text values.
 */
import { z } from 'zod';

export const PROFILE_FORMAT = 'lantern-profile';
export const PROFILE_VERSION = 1;

/**
 * Relative accuracy of the sketch: every value in bucket k lies in (gamma^(k-1), gamma^k] and its
 * representative 2 gamma^k / (gamma + 1) is within alpha of it. 0.001 keeps the Kolmogorov-Smirnov statistic within
 * 0.005 and the normalised Wasserstein distance within 2% on the real data of the tests (docs/profiles.md).
 */
export const DEFAULT_ALPHA = 0.001;
/** Numbers with at most this many distinct finite values per part keep exact value counts. */
export const DEFAULT_NUMERIC_VALUES_CAP = 2048;
/** Text columns keep this many top values per part; the rest is one count. */
export const DEFAULT_TEXT_VALUES_CAP = 2048;

/** Sorted keys and their counts, as two parallel arrays (compact in JSON). */
const countsPair = z.tuple([z.array(z.number()), z.array(z.number())]);
export type CountsPair = z.infer<typeof countsPair>;

export const numericColumnProfile = z.object({
  /** Rows of the part where the column is NULL. */
  nulls: z.number(),
  nan: z.number(),
  posInf: z.number(),
  negInf: z.number(),
  /** Finite values (zeros included). */
  finite: z.number(),
  zeros: z.number(),
  /** Over finite values; null when there are none. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  sum: z.number(),
  sumSquares: z.number(),
  /** Exact counts of each finite value, ascending; null once the part has more distinct values than the cap. */
  values: countsPair.nullable(),
  /** Sketch buckets of positive values: index k holds (gamma^(k-1), gamma^k]. */
  positive: countsPair,
  /** Sketch buckets of negative values, by the index of their absolute value. */
  negative: countsPair,
});
export type NumericColumnProfile = z.infer<typeof numericColumnProfile>;

export const textColumnProfile = z.object({
  nulls: z.number(),
  /** Non-null values. */
  count: z.number(),
  /** Distinct non-null values: exact when `exact`, else a lower bound. */
  distinct: z.number(),
  /** The most frequent values (count descending, then value), at most the text cap. */
  top: z.tuple([z.array(z.string()), z.array(z.number())]),
  /** Values outside `top`. */
  other: z.number(),
  /** True when `top` holds every value (no value was ever folded into `other`). */
  exact: z.boolean(),
});
export type TextColumnProfile = z.infer<typeof textColumnProfile>;

/** What the metrics of a labelled binary prediction need. */
export const performanceProfile = z.object({
  /** Rows with a label and a finite score. */
  count: z.number(),
  positives: z.number(),
  /** Sums over those rows of the log loss (scores clipped to [1e-15, 1 - 1e-15]) and the Brier score. */
  logLossSum: z.number(),
  brierSum: z.number(),
  /** Confusion counts at the decision threshold (score >= threshold is positive). */
  tp: z.number(),
  fp: z.number(),
  fn: z.number(),
  tn: z.number(),
  /**
   * The score of negative and of positive rows: confusion counts at every threshold on the sketch's grid
   * are their cumulative sums, so they are not stored twice.
   */
  negativeScores: numericColumnProfile,
  positiveScores: numericColumnProfile,
});
export type PerformanceProfile = z.infer<typeof performanceProfile>;

export const profilePart = z.object({
  /** Start of the window (YYYY-MM-DD), or null for all rows (or rows without a time). */
  window: z.string().nullable(),
  /** The segment this part covers, or null for all rows. */
  segment: z.object({ column: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullable() }).nullable(),
  rows: z.number(),
  numeric: z.record(z.string(), numericColumnProfile),
  text: z.record(z.string(), textColumnProfile),
  performance: performanceProfile.nullable(),
});
export type ProfilePart = z.infer<typeof profilePart>;

export const profileColumn = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'text']),
  /** The type the data had, as the engine named it (informative). */
  type: z.string(),
});
export type ProfileColumn = z.infer<typeof profileColumn>;

export const profileSchema = z.object({
  format: z.literal(PROFILE_FORMAT),
  version: z.literal(PROFILE_VERSION),
  sketch: z.object({ kind: z.literal('log-buckets'), alpha: z.number().positive().lt(1) }),
  caps: z.object({ numericValues: z.number().int().positive(), textValues: z.number().int().positive() }),
  /** Where the rows came from (file names), for the user. */
  sources: z.array(z.string()),
  columns: z.array(profileColumn),
  /** Column roles as the user set or Lantern inferred them. */
  roles: z.record(z.string(), z.string()),
  performance: z
    .object({ label: z.string(), score: z.string(), positive: z.union([z.string(), z.number()]), threshold: z.number() })
    .nullable(),
  time: z.object({ column: z.string(), window: z.enum(['day', 'week', 'month']) }).nullable(),
  segments: z.array(z.string()),
  /** One part for all rows (window and segment null), then one per window, per segment value, and per both. */
  parts: z.array(profilePart),
});
export type Profile = z.infer<typeof profileSchema>;

export type WindowUnit = 'day' | 'week' | 'month';

export function gammaOf(alpha: number): number {
  return (1 + alpha) / (1 - alpha);
}
