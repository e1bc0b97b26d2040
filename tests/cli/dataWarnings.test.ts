import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';

/**
 * Rows an analysis leaves out, and guesses it makes, are said in the JSON: ids stored as different types,
 * predictions without a label, labelled rows without a usable score, timestamps that cannot be read.
 * The expected counts follow from how the files are written here.
 */
const dir = mkdtempSync(join(tmpdir(), 'lantern-warnings-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// 200 predictions; every third row's time is written without an offset, and half of those are not times.
const rows = Array.from({ length: 200 }, (_, i) => {
  const ts = i % 3 ? `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+05:30` : i % 2 ? 'not a time' : '2024-01-05 10:00:00';
  const score = i % 50 === 7 ? 'NaN' : ((i * 37) % 100) / 100;
  return `${i},${score},${ts}`;
});
const unreadable = rows.filter((_, i) => i % 3 === 0 && i % 2 === 1).length;
const preds = write('preds.csv', `prediction_id,score,ts\n${rows.join('\n')}\n`);
// Labels for even ids, written as 0.0, 2.0, ...; the ids with a NaN score are 7, 57, 107, 157 (all odd).
const labelsFloat = write(
  'labels_float.csv',
  `prediction_id,label\n${Array.from({ length: 100 }, (_, k) => `${2 * k}.0,${k % 2}`).join('\n')}\n`,
);
const labelsText = write(
  'labels_p.csv',
  `prediction_id,label\n${Array.from({ length: 100 }, (_, k) => `p${2 * k},${k % 2}`).join('\n')}\n`,
);

describe('warnings about rows left out', () => {
  it('ids 17 and 17.0 match, and what was left out is counted', async () => {
    const r = await run(['metrics', '--data', preds, '--labels', labelsFloat, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.labels.matched).toBe(100);
    expect(json.labels.idTypes).toEqual({ prediction: 'BIGINT', label: 'DOUBLE', comparedAs: 'number' });
    expect(unreadable).toBe(33);
    expect(json.warnings).toEqual([
      'Prediction ids are BIGINT and label ids DOUBLE: they were matched as numbers (17 matches 17.0).',
      '100 of 200 predictions have no label in the label file and are left out of the metrics.',
      `${unreadable} of 200 values of the timestamp column "ts" could not be read as times; those rows are left out of the results over time.`,
    ]);
  });

  it('labelled rows with a NaN score are counted', async () => {
    const odd = write(
      'labels_odd.csv',
      `prediction_id,label\n${Array.from({ length: 100 }, (_, k) => `${2 * k + 1},${k % 2}`).join('\n')}\n`,
    );
    const json = JSON.parse((await run(['metrics', '--data', preds, '--labels', odd, '--json'])).out);
    expect(json.warnings).toContain('4 labelled rows have no usable score (empty, NaN or infinite) and are left out of the metrics.');
  });

  it('ids that never match are explained with their types', async () => {
    const r = await run(['metrics', '--data', preds, '--labels', labelsText, '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('None of the 100 label rows has an id that matches a prediction id.');
    expect(r.err).toContain('The prediction ids are BIGINT and the label ids VARCHAR');
  });
});
