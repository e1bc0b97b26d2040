import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeProfile, encodeProfile, looksLikeProfile } from '../../src/lib/profiles/codec';
import {
  profileSchema,
  type NumericColumnProfile,
  type PerformanceProfile,
  type Profile,
  type ProfilePart,
} from '../../src/lib/profiles/format';
import { batchesOf, historyReport } from '../../src/lib/profiles/history';
import { mergeProfiles, mergeText } from '../../src/lib/profiles/merge';
import { profileMetrics } from '../../src/lib/profiles/metrics';
import { partQuality } from '../../src/lib/profiles/quality';

const SCHEMA_FILE = new URL('../../docs/profile.schema.json', import.meta.url);

/** The documented JSON schema, as zod writes it from the format (UPDATE_PROFILE_SCHEMA=1 rewrites the file). */
function schemaText(): string {
  return JSON.stringify({ $id: 'lantern-profile.schema.json', title: 'Lantern profile', ...z.toJSONSchema(profileSchema) }, null, 2) + '\n';
}

const emptyNumeric = (): NumericColumnProfile => ({
  nulls: 0,
  nan: 0,
  posInf: 0,
  negInf: 0,
  finite: 0,
  zeros: 0,
  min: null,
  max: null,
  sum: 0,
  sumSquares: 0,
  values: [[], []],
  positive: [[], []],
  negative: [[], []],
});

/** Exact values (x, count) as a numeric column profile (no sketch buckets needed while values are exact). */
function numeric(values: [number, number][], nulls = 0): NumericColumnProfile {
  const finite = values.reduce((s, [, c]) => s + c, 0);
  return {
    ...emptyNumeric(),
    nulls,
    finite,
    zeros: values.filter(([x]) => x === 0).reduce((s, [, c]) => s + c, 0),
    min: values.length ? Math.min(...values.map(([x]) => x)) : null,
    max: values.length ? Math.max(...values.map(([x]) => x)) : null,
    sum: values.reduce((s, [x, c]) => s + x * c, 0),
    sumSquares: values.reduce((s, [x, c]) => s + x * x * c, 0),
    values: [values.map(([x]) => x), values.map(([, c]) => c)],
  };
}

function perf(neg: [number, number][], pos: [number, number][], threshold = 0.5): PerformanceProfile {
  const n = [...neg, ...pos].reduce((s, [, c]) => s + c, 0);
  const positives = pos.reduce((s, [, c]) => s + c, 0);
  const count = (list: [number, number][], above: boolean) => list.filter(([x]) => x >= threshold === above).reduce((s, [, c]) => s + c, 0);
  return {
    count: n,
    positives,
    logLossSum: 0,
    brierSum: 0,
    tp: count(pos, true),
    fn: count(pos, false),
    fp: count(neg, true),
    tn: count(neg, false),
    negativeScores: numeric(neg),
    positiveScores: numeric(pos),
  };
}

function profileOf(part: Omit<ProfilePart, 'window' | 'segment'>): Profile {
  return {
    format: 'lantern-profile',
    version: 1,
    sketch: { kind: 'log-buckets', alpha: 0.001 },
    caps: { numericValues: 2048, textValues: 2 },
    sources: ['t'],
    columns: [
      { name: 'x', kind: 'numeric', type: 'DOUBLE' },
      { name: 'c', kind: 'text', type: 'VARCHAR' },
    ],
    roles: {},
    performance: null,
    time: null,
    segments: [],
    parts: [{ window: null, segment: null, ...part }],
  };
}

const text = (top: [string, number][], nulls = 0, other = 0, exact = true) => ({
  nulls,
  count: top.reduce((s, [, c]) => s + c, 0) + other,
  distinct: top.length,
  top: [top.map(([v]) => v), top.map(([, c]) => c)] as [string[], number[]],
  other,
  exact,
});

describe('the profile format', () => {
  it('docs/profile.schema.json is the format as zod defines it', () => {
    if (process.env['UPDATE_PROFILE_SCHEMA']) writeFileSync(SCHEMA_FILE, schemaText());
    // Compared as JSON: the file is laid out by prettier.
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(schemaText()));
  });

  it('is recognised by content (gzip or plain), round-trips, and refuses damaged or newer files clearly', () => {
    const p = profileOf({ rows: 3, numeric: { x: numeric([[1, 2]], 1) }, text: { c: text([['a', 3]]) }, performance: null });
    const bytes = encodeProfile(p);
    expect(looksLikeProfile(bytes.subarray(0, 4096))).toBe(true);
    expect(decodeProfile(bytes)).toEqual(p);
    const plain = new TextEncoder().encode(JSON.stringify(p));
    expect(looksLikeProfile(plain)).toBe(true);
    expect(looksLikeProfile(gzipSync(Buffer.from('a,b\n1,2\n')))).toBe(false);
    expect(looksLikeProfile(new TextEncoder().encode('{"format":"other"}'))).toBe(false);
    expect(() => decodeProfile(new TextEncoder().encode(JSON.stringify({ ...p, version: 99 })))).toThrow(/newer Lantern/);
    expect(() => decodeProfile(new TextEncoder().encode(JSON.stringify({ ...p, parts: 3 })))).toThrow(/damaged: parts/);
    expect(() => decodeProfile(bytes.subarray(0, bytes.length - 8))).toThrow(/damaged/);
  });

  it('refuses to merge profiles made with other settings', () => {
    const p = profileOf({ rows: 1, numeric: {}, text: {}, performance: null });
    expect(() => mergeProfiles([p, { ...p, sketch: { kind: 'log-buckets', alpha: 0.01 } }])).toThrow(/different sketch accuracy/);
    expect(() => mergeProfiles([])).toThrow(/no profile/);
  });

  it('merging text past the cap keeps the top values and says it is no longer exact', () => {
    const merged = mergeText(
      text([
        ['a', 5],
        ['b', 1],
      ]),
      text([
        ['c', 3],
        ['b', 1],
      ]),
      2,
    );
    expect(merged.top).toEqual([
      ['a', 'c'],
      [5, 3],
    ]);
    expect([merged.other, merged.count, merged.exact]).toEqual([2, 10, false]);
  });
});

describe('metrics from profile counts: edge cases', () => {
  it('ties across classes count one half, as scikit-learn does (exact values)', () => {
    // y = [0, 0, 1, 1], s = [0.1, 0.5, 0.5, 0.9]: sklearn roc_auc 0.875, average_precision 0.8333...
    const m = profileMetrics(
      perf(
        [
          [0.1, 1],
          [0.5, 1],
        ],
        [
          [0.5, 1],
          [0.9, 1],
        ],
      ),
      0.001,
    );
    expect(m.roc_auc).toBeCloseTo(0.875, 12);
    expect(m.average_precision).toBeCloseTo(0.8333333333333333, 12);
    expect(m.approximate).toBe(false);
  });

  it('one class or no rows: the metrics that need both are undefined, never NaN', () => {
    const one = profileMetrics(perf([], [[0.7, 3]]), 0.001);
    expect([one.roc_auc, one.specificity, one.fpr]).toEqual([null, null, null]);
    expect(one.recall).toBe(1);
    const none = profileMetrics(perf([], []), 0.001);
    expect([none.accuracy, none.roc_auc, none.average_precision, none.log_loss]).toEqual([null, null, null, null]);
  });
});

describe('quality and history on tiny and empty parts', () => {
  it('an empty batch has no missing values and nothing out of range', () => {
    const ref = profileOf({ rows: 2, numeric: { x: numeric([[1, 2]]) }, text: { c: text([['a', 2]]) }, performance: null }).parts[0]!;
    const empty = { ...ref, rows: 0, numeric: { x: emptyNumeric() }, text: { c: text([]) } };
    expect(partQuality(ref, empty, 0.001).map((q) => [q.missing, q.outOfRange ?? q.unseen])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('NULLs and new values in a batch are counted against the reference', () => {
    const ref = profileOf({
      rows: 4,
      numeric: {
        x: numeric([
          [1, 2],
          [3, 2],
        ]),
      },
      text: { c: text([['a', 4]]) },
      performance: null,
    });
    const batch = profileOf({
      rows: 4,
      numeric: {
        x: numeric(
          [
            [0, 1],
            [2, 1],
          ],
          2,
        ),
      },
      text: {
        c: text(
          [
            ['a', 1],
            ['z', 2],
          ],
          1,
        ),
      },
      performance: null,
    });
    const q = partQuality(ref.parts[0]!, batch.parts[0]!, 0.001);
    expect(q.find((x) => x.column === 'x')).toMatchObject({ missing: 0.5, outOfRange: 0.5, exact: true });
    expect(q.find((x) => x.column === 'c')).toMatchObject({ missing: 0.25, unseen: 2 / 3 });
    const report = historyReport({ name: 'ref', profile: ref }, batchesOf([{ name: 'b', profile: batch }]), { missingRise: 0.3 });
    expect(report.regressions.filter((r) => r.kind === 'missing').map((r) => r.subject)).toEqual(['x']);
    expect(report.firstRegression).toBe('b');
  });
});
