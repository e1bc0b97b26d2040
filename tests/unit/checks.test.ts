import { describe, expect, it } from 'vitest';
import { evaluateSuite } from '../../src/lib/checks/evaluate';
import type { CheckInputs } from '../../src/lib/checks/inputs';
import { junitXml } from '../../src/lib/checks/junit';
import { parseSuite, serializeSuite, type Suite } from '../../src/lib/checks/suite';
import { worstSlices } from '../../src/lib/checks/worstSlices';
import { toCsv } from '../../src/lib/report/csv';
import { barChartSvg } from '../../src/lib/report/svg';
import type { Dimension } from '../../src/lib/slices/dimensions';

const col = (name: string, kind: 'numeric' | 'string') =>
  ({ name, type: kind === 'numeric' ? 'DOUBLE' : 'VARCHAR', kind }) as CheckInputs['referenceColumns'][number];

function inputs(over: Partial<CheckInputs> = {}): CheckInputs {
  return {
    referenceRows: 100,
    currentRows: 100,
    referenceColumns: [col('a', 'numeric'), col('c', 'string')],
    currentColumns: [col('a', 'numeric'), col('c', 'string')],
    schema: { missingColumns: [], newColumns: [], typeChanges: [], shared: ['a', 'c'] },
    quality: {
      currentRows: 100,
      missing: [
        { column: 'a', reference: 0.01, current: 0.04 },
        { column: 'c', reference: 0, current: 0 },
      ],
      issues: [
        {
          check: 'unseen-category',
          column: 'c',
          count: 2,
          share: 0.02,
          detail: '2 rows hold 1 values never seen in the reference',
          examples: [],
        },
      ],
    },
    performance: {
      task: 'binary',
      spec: {} as never,
      current: { n: 100, accuracy: 0.8, f1: null },
      reference: { n: 100, accuracy: 0.9, f1: 0.5 },
      labelled: 100,
      predictions: 100,
    },
    slices: {},
    model: false,
    values: {},
    ...over,
  };
}

const suite = (checks: unknown[]): Suite => parseSuite(JSON.stringify({ format: 'lantern-check-suite', version: 1, checks }));

describe('evaluateSuite', () => {
  it('judges shares against max and warn, metrics against bounds and the reference', () => {
    const s = suite([
      { id: 'm1', kind: 'missing-share', column: 'a', max: 0.05, warn: 0.02 },
      { id: 'm2', kind: 'missing-share', column: 'a', max: 0.03 },
      { id: 'm3', kind: 'missing-share', column: 'a', max: 0.04 },
      { id: 'u', kind: 'unseen-categories', column: 'c', max: 0 },
      { id: 'r', kind: 'out-of-range', column: 'a', max: 0 },
      { id: 'rc', kind: 'out-of-range', column: 'c', max: 0 },
      { id: 'acc', kind: 'metric', metric: 'accuracy', min: 0.75, warnMin: 0.85 },
      { id: 'accref', kind: 'metric-vs-reference', metric: 'accuracy', tolerance: 0.1, warn: 0.05 },
      { id: 'accref2', kind: 'metric-vs-reference', metric: 'accuracy', tolerance: 0.12 },
      { id: 'f1', kind: 'metric', metric: 'f1', min: 0.1 },
      { id: 'gone', kind: 'missing-share', column: 'zz', max: 0.1 },
      { id: 'attr', kind: 'attribution-drift', max: 0.1 },
    ]);
    const r = evaluateSuite(s, inputs());
    const by = Object.fromEntries(r.results.map((x) => [x.id, x]));
    expect(by['m1']!.status).toBe('warn');
    expect(by['m1']!.value).toBe(0.04);
    expect(by['m2']!.status).toBe('fail');
    expect(by['m3']!.status).toBe('pass'); // equal to max passes
    expect(by['u']!.status).toBe('fail');
    expect(by['r']!.status).toBe('pass');
    expect(by['rc']!.status).toBe('not-evaluated');
    expect(by['acc']!.status).toBe('warn');
    // 0.8 vs 0.9 is -11.1%: outside +-10%, inside +-12%.
    expect(by['accref']!.status).toBe('fail');
    expect(by['accref2']!.status).toBe('pass');
    expect(by['accref']!.threshold).toBe('0.8100 to 0.9900 (reference 0.9000 +-10.0%)');
    expect(by['f1']!.status).toBe('not-evaluated');
    expect(by['gone']!.status).toBe('fail');
    expect(by['attr']!.status).toBe('not-evaluated');
    expect(by['attr']!.message).toMatch(/needs a model/);
    expect(r.status).toBe('fail');
    expect(r.counts).toEqual({ pass: 3, warn: 2, fail: 4, 'not-evaluated': 3 });
  });

  it('says why performance checks cannot run without labels', () => {
    const r = evaluateSuite(
      suite([{ id: 'x', kind: 'metric', metric: 'accuracy', min: 0.5 }]),
      inputs({ performance: { unavailable: 'needs labelled current data: no label' } }),
    );
    expect(r.results[0]!.status).toBe('not-evaluated');
    expect(r.results[0]!.message).toBe('not evaluated: needs labelled current data: no label');
  });
});

describe('cost, custom metric, latency and error-rate checks', () => {
  it('judge one value each against bounds and the reference, and say why when it is missing', () => {
    const s = suite([
      { id: 'cost', kind: 'cost', costs: { fp: 5, fn: 50 }, max: 10, warn: 8 },
      { id: 'cost2', kind: 'cost', costs: { fp: 5, fn: 50 }, max: 12 },
      { id: 'missed', kind: 'custom-metric', metric: { name: 'missed', expression: 'avg(x)' }, max: 0.2, warnMax: 0.1 },
      { id: 'p95', kind: 'latency', percentile: 'p95', tolerance: 0.25 },
      { id: 'p99', kind: 'latency', percentile: 'p99', max: 500 },
      { id: 'err', kind: 'error-rate', margin: 0.01 },
      { id: 'err2', kind: 'error-rate', max: 0.05 },
      { id: 'bad', kind: 'custom-metric', metric: { name: 'bad', expression: 'avg(nope)' }, min: 0 },
    ]);
    const r = evaluateSuite(
      s,
      inputs({
        values: {
          cost: { value: 10.1356, reference: null },
          cost2: { value: 10.1356, reference: null },
          missed: { value: 0.1984, reference: null },
          p95: { value: 165.5, reference: 158 },
          p99: { value: 350.96, reference: 192.33 },
          err: { value: 0.0222, reference: 0.008 },
          err2: { value: 0.0222, reference: 0.008 },
          bad: { unavailable: 'The custom metric "bad" uses an unknown column "nope".' },
        },
      }),
    );
    const by = Object.fromEntries(r.results.map((x) => [x.id, x]));
    expect(by['cost']).toMatchObject({ status: 'fail', value: 10.1356, view: 'performance', title: 'Expected cost per prediction' });
    expect(by['cost2']!.status).toBe('pass');
    expect(by['missed']).toMatchObject({ status: 'warn', title: 'missed' });
    // 165.5 / 158 is 4.7% slower: within 25%.
    expect(by['p95']).toMatchObject({ status: 'pass', view: 'operations' });
    expect(by['p95']!.message).toBe('latency p95 165.5 vs reference 158');
    expect(by['p99']!.status).toBe('pass');
    // 2.22% against 0.8%: 1.42 points above, beyond the 1-point margin.
    expect(by['err']!.status).toBe('fail');
    expect(by['err2']!.status).toBe('pass');
    expect(by['bad']!.status).toBe('not-evaluated');
    expect(by['bad']!.message).toContain('unknown column "nope"');
    expect(() => suite([{ id: 'x', kind: 'latency', percentile: 'p95' }])).toThrow(/max or tolerance/);
    expect(() => suite([{ id: 'x', kind: 'custom-metric', metric: { name: '1x', expression: 'avg(a)' }, min: 0 }])).toThrow();
  });
});

describe('suite format', () => {
  it('round-trips and refuses unknown fields, kinds and versions', () => {
    const s = suite([{ id: 'a', kind: 'drift-share', max: 0.5 }]);
    expect(parseSuite(serializeSuite(s))).toEqual(s);
    expect(() => suite([{ id: 'a', kind: 'drift-share', max: 0.5, maxx: 1 }])).toThrow(/checks\.0/);
    expect(() => suite([{ id: 'a', kind: 'nope' }])).toThrow(/checks\.0\.kind/);
    expect(() => parseSuite(JSON.stringify({ format: 'lantern-check-suite', version: 2, checks: [] }))).toThrow(/version/);
    expect(() => suite([{ id: 'a', kind: 'metric', metric: 'accuracy' }])).toThrow(/min or max/);
  });
});

describe('worstSlices', () => {
  it('counts every one- and two-condition slice exactly', () => {
    const dim = (name: string, n: number): Dimension => ({
      name,
      kind: 'categorical',
      codeSql: '',
      values: Array.from({ length: n }, (_, i) => ({
        code: i + 1,
        predicate: { column: name, op: '=', value: i },
        where: '',
        label: `${name} = ${i}`,
      })),
    });
    // 8 rows; errors only where a = 1 and b = 2 (two rows), plus one row in code 0 (not a slice).
    const a = Int32Array.from([1, 1, 1, 1, 2, 2, 2, 0]);
    const b = Int32Array.from([1, 2, 2, 1, 1, 2, 1, 2]);
    const e = Float64Array.from([0, 1, 1, 0, 0, 0, 0, 1]);
    const w = worstSlices({ codes: [a, b], cardinality: [3, 3], errors: e }, [dim('a', 2), dim('b', 2)], { minRows: 2, maxDepth: 2 });
    expect(w.overall).toBe(3 / 8);
    expect(w.slices[0]!.label).toBe('a = 0 AND b = 1');
    expect(w.slices[0]!.n).toBe(2);
    expect(w.slices[0]!.difference).toBe(1 - 3 / 8);
    const one = worstSlices({ codes: [a, b], cardinality: [3, 3], errors: e }, [dim('a', 2), dim('b', 2)], { minRows: 5, maxDepth: 2 });
    expect(one.slices).toEqual([]);
  });
});

describe('exports', () => {
  it('CSV quotes per RFC 4180 and defuses formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['=cmd()', -1.5],
          [null, NaN],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n\'=cmd(),-1.5\r\n,\r\n');
  });
  it('SVG and JUnit escape text from files', () => {
    const svg = barChartSvg({ title: '<b>&', labels: ['"x"<y>'], series: [{ name: 's', values: [1], color: '#000' }] });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;');
    const xml = junitXml({
      name: 'a&b',
      counts: { pass: 0, warn: 0, fail: 1, 'not-evaluated': 0 },
      status: 'fail',
      results: [
        {
          id: 'x',
          kind: 'schema',
          title: '<t>',
          column: null,
          status: 'fail',
          value: 1,
          threshold: '< 2',
          message: 'bad \u0001 "q"',
          view: 'drift',
        },
      ],
    });
    expect(xml).toContain('name="a&amp;b"');
    expect(xml).toContain('<failure message="bad  &quot;q&quot;" type="schema">');
    expect(xml).not.toContain('\u0001');
  });
});
