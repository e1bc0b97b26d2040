import { describe, expect, it } from 'vitest';
import { evaluateSuite } from '../../src/lib/checks/evaluate';
import { computeCheckInputs } from '../../src/lib/checks/inputs';
import { presetFromSetup } from '../../src/lib/checks/preset';
import type { Check } from '../../src/lib/checks/suite';
import { inferSetup } from '../../src/lib/setup/infer';
import { testDb } from '../helpers/db';
import { loadPlanted, PLANTED, type PlantedName } from '../helpers/planted';

/** Every column a check reads as an input of the model. */
const inputsOf = (c: Check): string[] => [
  ...('column' in c ? [c.column] : []),
  ...(c.kind === 'segment-drift' ? (c.segments ?? []) : []),
  ...(c.kind === 'metric-by-segment' ? [c.segment] : []),
  ...(c.kind === 'schema' ? c.columns : []),
];

/** Each scenario is loaded and its preset made once per file: the tests below read the same ones. */
const presets = new Map<PlantedName, ReturnType<typeof presetOf>>();
async function presetOf(name: PlantedName) {
  const db = await testDb();
  const { tables, scenario } = await loadPlanted(db, name, `cp_${name.replaceAll('-', '_')}`);
  const setup = await inferSetup(db, tables);
  return { db, scenario, setup, suite: await presetFromSetup(db, setup) };
}
function preset(name: PlantedName) {
  if (!presets.has(name)) presets.set(name, presetOf(name));
  return presets.get(name)!;
}

describe('the check preset from the setup of files dropped together', () => {
  it.each(PLANTED)(
    '%s: no check on the label, the outputs or the id as inputs; performance overall and by segment',
    async (name) => {
      const { scenario, suite } = await preset(name);
      const notInputs = [scenario.label, scenario.score, scenario.prediction, scenario.join_id].filter((c): c is string => Boolean(c));
      for (const c of suite.checks)
        if (c.kind !== 'schema') for (const col of inputsOf(c)) expect(notInputs, `${c.id} reads ${col}`).not.toContain(col);
      // The schema check keeps the outputs (they must stay in the log) but never the label the log lacks.
      const schema = suite.checks.find((c) => c.kind === 'schema');
      expect(schema && 'columns' in schema ? schema.columns : []).not.toContain(scenario.label);
      expect(suite.settings).toMatchObject({ label: scenario.label, id: scenario.join_id });
      const kinds = new Set(suite.checks.map((c) => c.kind));
      expect(kinds.has('metric-vs-reference'), 'performance against the reference').toBe(true);
      expect(kinds.has('metric-by-segment'), 'performance by segment').toBe(true);
      expect(kinds.has('segment-drift'), 'segment drift').toBe(true);
      for (const f of scenario.features.filter((f) => scenario.roles[f] === 'feature'))
        expect(
          suite.checks.some((c) => c.id === `drift:${f}`),
          `drift:${f}`,
        ).toBe(true);
    },
    300_000,
  );

  it('flights-late: the segment drift checks fail on the planted feed bugs, not on the weather', async () => {
    const { db, setup, suite } = await preset('flights-late');
    const inputs = await computeCheckInputs(db, { reference: setup.reference!, current: setup.current!, labels: setup.labels! }, suite);
    const result = evaluateSuite(suite, inputs);
    const status = (id: string) => result.results.find((r) => r.id === id)?.status;
    expect(status('segment-drift:distance_mi')).toBe('fail');
    expect(result.results.find((r) => r.id === 'segment-drift:distance_mi')!.message).toMatch(/origin = DEN/);
    expect(status('segment-drift:origin_recent_delay_min')).toBe('fail');
    expect(result.results.find((r) => r.id === 'segment-drift:origin_recent_delay_min')!.message).toMatch(/origin = ATL/);
    // Storms move the delays at one airport or another a little in every week: relative to the median segment, no failure.
    expect(status('segment-drift:dest_recent_delay_min')).not.toBe('fail');
    // The performance checks are evaluated on the labels of the labels file, never "not evaluated".
    for (const r of result.results.filter((x) => x.kind === 'metric-vs-reference' || x.kind === 'metric-by-segment'))
      expect(r.status, `${r.id}: ${r.message}`).not.toBe('not-evaluated');
    for (const r of result.results) expect(r.message).not.toMatch(/--/);
  }, 300_000);
});
