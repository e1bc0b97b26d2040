import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EmbeddingCase } from '../helpers/embeddings';
import { inferSetup } from '../../src/lib/setup/infer';
import type { Setup } from '../../src/lib/setup/types';
import { testDb } from '../helpers/db';
import { loadFixture } from '../helpers/perf';
import { loadPlanted, PLANTED } from '../helpers/planted';

const MODEL_ROLES = new Set(['label', 'score', 'prediction', 'id']);

/** No label, score, prediction or id is ever taken as an input of the model, in any file. */
function expectNoOutputAsFeature(setup: Setup, scenarioRoles: Record<string, string>) {
  for (const d of setup.datasets)
    for (const [column, choice] of Object.entries(d.roles))
      if (MODEL_ROLES.has(scenarioRoles[column] ?? '')) expect(choice.role, `${d.name}.${column}`).not.toMatch(/feature|segment/);
}

describe('the setup of files dropped together, from their structure', () => {
  it.each(PLANTED)(
    '%s: parts, join, label, outputs and time as the scenario made them, whatever the drop order',
    async (name) => {
      const db = await testDb();
      const orders = [
        ['labels', 'current', 'reference'],
        ['reference', 'current', 'labels'],
        ['current', 'labels', 'reference'],
      ] as const;
      // Every order for one scenario (loading is what costs), one order for the others.
      for (const order of name === 'flights-late' ? orders : [orders[1]]) {
        const { tables, scenario } = await loadPlanted(db, name, `su_${name.replaceAll('-', '_')}_${order[0]}`, [...order]);
        const setup = await inferSetup(db, tables);
        const tableOf = (role: string) => tables.find((t) => t.role === role)!.table;
        expect(setup.reference, 'reference').toBe(tableOf('reference'));
        expect(setup.current, 'current').toBe(tableOf('current'));
        expect(setup.labels, 'labels').toBe(tableOf('labels'));
        expect(setup.join).toEqual({ log: scenario.join_id, labels: scenario.join_id });
        expect(setup.label).toEqual({ table: tableOf('labels'), column: scenario.label });
        expect(setup.timestamp).toBe(scenario.timestamp);
        expect(setup.prediction).toBe(scenario.prediction ?? null);
        expect(setup.score).toBe(scenario.task === 'binary' ? scenario.score : null);
        for (const [column, role] of Object.entries(scenario.roles)) {
          if (role === 'label' || role === 'score' || role === 'prediction') {
            const log = setup.datasets.find((d) => d.table === tableOf('current'))!;
            if (log.roles[column]) expect(log.roles[column]!.role, column).toBe(role);
          }
        }
        expectNoOutputAsFeature(setup, scenario.roles);
        // Every choice says why, in words.
        for (const d of setup.datasets) {
          expect(d.partReason.length).toBeGreaterThan(5);
          for (const choice of Object.values(d.roles)) expect(choice.reason.length).toBeGreaterThan(5);
        }
        expect(setup.notes).toEqual([]);
      }
      // Three loads of a 100,000-row scenario on the WASM engine: a minute on a busy machine.
    },
    180_000,
  );

  it('keeps roles the user set by hand, and follows them', async () => {
    const db = await testDb();
    const { tables } = await loadPlanted(db, 'flights-late', 'su_user');
    const log = tables.find((t) => t.role === 'current')!;
    const setup = await inferSetup(
      db,
      tables.map((t) => (t === log ? { ...t, userRoles: { p_late: 'feature' as const, dep_hour: 'segment' as const } } : t)),
    );
    const roles = setup.datasets.find((d) => d.table === log.table)!.roles;
    expect(roles['p_late']).toEqual({ role: 'feature', by: 'user', reason: 'set by you' });
    expect(roles['dep_hour']?.role).toBe('segment');
    expect(setup.score).toBeNull();
    expect(setup.prediction).toBe('flagged');
  });

  it('a log with its labels inside and no other file: the log is current, the named label is found, with a note', async () => {
    const db = await testDb();
    await loadFixture('log.csv', 'su_single');
    const setup = await inferSetup(db, [{ table: 'su_single', name: 'log.csv' }]);
    expect(setup.current).toBe('su_single');
    expect(setup.reference).toBeNull();
    expect(setup.label).toEqual({ table: 'su_single', column: 'label' });
    expect(setup.score).toBe('score');
    expect(setup.notes.join(' ')).toMatch(/Drop the training data/);
    expect(setup.notes.join(' ')).not.toMatch(/--/);
  });

  it('says what to do in the app when the labels are missing, never a command-line flag', async () => {
    const db = await testDb();
    const { tables } = await loadPlanted(db, 'flights-late', 'su_nolabels', ['current']);
    const setup = await inferSetup(db, tables);
    expect(setup.current).toBe(tables[0]!.table);
    expect(setup.label).toBeNull();
    expect(setup.notes.join(' ')).toMatch(/drop the file of labels|mark the label column in the Data view/);
    expect(setup.notes.join(' ')).not.toMatch(/--\w/);
  });

  it('never takes the numbers of an embedding for a label and its estimate', async () => {
    const db = await testDb();
    const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embeddings.json', import.meta.url), 'utf8')) as {
      cases: EmbeddingCase[];
    };
    const c = fx.cases[0]!;
    for (const [table, rows] of [
      ['su_emb_ref', c.reference],
      ['su_emb_cur', c.current],
    ] as const) {
      const cols = rows[0]!.map((_, j) => `emb_${j}`);
      await db.query(`CREATE OR REPLACE TABLE ${table} (${cols.map((x) => `${x} DOUBLE`).join(', ')})`);
      await db.query(`INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`);
    }
    const setup = await inferSetup(db, [
      { table: 'su_emb_ref', name: 'reference.csv' },
      { table: 'su_emb_cur', name: 'current.csv' },
    ]);
    expect(setup.label).toBeNull();
    expect(setup.prediction).toBeNull();
    expect(setup.notes.join(' ')).toMatch(/No label found/);
  });
});
