import type { ColumnInfo } from '../schema';
import type { TreeEnsemble } from './ensemble';

/** How one model feature found its dataset column. */
export interface MatchedFeature {
  feature: string;
  column: string;
  /** exact name; same name ignoring case and surrounding spaces; or position (the model has no names). */
  how: 'exact' | 'case' | 'position';
}

export interface FeatureMatch {
  /** Dataset column per model feature, in model order; null where none matched. */
  columns: (string | null)[];
  matched: MatchedFeature[];
  /** Model features with no dataset column. */
  missing: string[];
  /** Matched columns whose type cannot be a model input (text, dates): name and DuckDB type. */
  wrongType: { feature: string; column: string; type: string }[];
  /** Dataset columns the model does not use. */
  unused: string[];
  /** True when every feature has a usable column. */
  ok: boolean;
}

/** What matching needs of a model (it crosses worker boundaries without the trees). */
export type ModelFeatures = Pick<TreeEnsemble, 'featureNames' | 'featureNamesFromModel'>;

const normalise = (name: string) => name.trim().toLowerCase();

/**
 * Matches model features to dataset columns by name: exact first, then ignoring case and surrounding
 * spaces when that is unambiguous. A model saved without names (f0, f1, ... / Column_0, ...) is matched
 * by position, and says so, when no column carries those made-up names.
 */
export function matchFeatures(model: ModelFeatures, columns: readonly ColumnInfo[]): FeatureMatch {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const byNormal = new Map<string, ColumnInfo[]>();
  for (const c of columns) byNormal.set(normalise(c.name), [...(byNormal.get(normalise(c.name)) ?? []), c]);
  const matched: MatchedFeature[] = [];
  const result: (string | null)[] = [];
  const positional = !model.featureNamesFromModel && !model.featureNames.some((f) => byName.has(f));
  model.featureNames.forEach((feature, i) => {
    let column: ColumnInfo | undefined;
    let how: MatchedFeature['how'] = 'exact';
    if (positional) {
      column = columns[i];
      how = 'position';
    } else {
      column = byName.get(feature);
      if (!column) {
        const candidates = byNormal.get(normalise(feature)) ?? [];
        if (candidates.length === 1) {
          column = candidates[0];
          how = 'case';
        }
      }
    }
    result.push(column?.name ?? null);
    if (column) matched.push({ feature, column: column.name, how });
  });
  const used = new Set(result.filter((c): c is string => c !== null));
  const wrongType = matched
    .map((m) => ({ feature: m.feature, column: m.column, type: byName.get(m.column)!.type, kind: byName.get(m.column)!.kind }))
    .filter((m) => m.kind !== 'numeric' && m.kind !== 'boolean')
    .map(({ feature, column, type }) => ({ feature, column, type }));
  const missing = model.featureNames.filter((_, i) => result[i] === null);
  return {
    columns: result,
    matched,
    missing,
    wrongType,
    unused: columns.map((c) => c.name).filter((c) => !used.has(c)),
    ok: missing.length === 0 && wrongType.length === 0,
  };
}

/** One sentence a user can act on, for a match that is not ok. */
export function describeMismatch(match: FeatureMatch): string {
  const parts: string[] = [];
  if (match.missing.length > 0) {
    const shown = match.missing
      .slice(0, 10)
      .map((f) => `"${f}"`)
      .join(', ');
    parts.push(
      `the data has no column for model feature${match.missing.length > 1 ? 's' : ''} ${shown}${match.missing.length > 10 ? ` and ${match.missing.length - 10} more` : ''}`,
    );
  }
  for (const w of match.wrongType.slice(0, 10))
    parts.push(`column "${w.column}" is ${w.type}, but model feature "${w.feature}" needs numbers`);
  const unused =
    match.unused.length > 0
      ? ` Columns the model does not use: ${match.unused
          .slice(0, 10)
          .map((c) => `"${c}"`)
          .join(', ')}${match.unused.length > 10 ? ', ...' : ''}.`
      : '';
  return `The model does not fit this data: ${parts.join('; ')}.${unused}`;
}
