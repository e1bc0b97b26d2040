import { describe, expect, it } from 'vitest';
import { preparePerformance } from '../../src/lib/metrics/setup';
import { testDb } from '../helpers/db';

async function setupOf(name: string, select: string, labels?: string) {
  const db = await testDb();
  await db.query(`CREATE OR REPLACE TABLE ${name} AS ${select}`);
  if (labels) await db.query(`CREATE OR REPLACE TABLE ${name}_labels AS ${labels}`);
  return preparePerformance(db, { data: name, out: `${name}_out`, ...(labels ? { labels: `${name}_labels` } : {}) });
}

describe('preparePerformance infers what the user left out', () => {
  it('reads a "prediction" column of probabilities as the score of a binary model', async () => {
    const s = await setupOf('s1', `SELECT i AS id, (i % 2) AS label, ((i * 37) % 100) / 100.0 AS prediction FROM range(200) t(i)`);
    expect(s.spec).toMatchObject({ task: 'binary', positive: '1', score: 'prediction' });
    expect(s.spec.prediction).toBeUndefined();
  });

  it('treats whole-number labels with fractional predictions as regression', async () => {
    const s = await setupOf(
      's2',
      `SELECT i AS id, 1 + i % 5 AS target, 1 + (i % 5) + ((i * 7) % 10 - 5) / 10.0 AS prediction FROM range(300) t(i)`,
    );
    expect(s.spec).toMatchObject({ task: 'regression', label: 'target', prediction: 'prediction' });
  });

  it('keeps whole-number classes with class predictions as multiclass', async () => {
    const s = await setupOf('s3', `SELECT i AS id, i % 4 AS label, (i * 3) % 4 AS prediction FROM range(300) t(i)`);
    expect(s.spec.task).toBe('multiclass');
  });

  it('finds yes/no and boolean positive classes, and the threshold behind predicted labels', async () => {
    const a = await setupOf(
      's4',
      `SELECT i AS id, CASE WHEN i % 3 = 0 THEN 'yes' ELSE 'no' END AS churned, (i % 10) / 10.0 AS score FROM range(100) t(i)`,
    );
    expect(a.spec).toMatchObject({ task: 'binary', positive: 'yes', label: 'churned' });
    const b = await setupOf(
      's5',
      `SELECT i AS id, i % 4 = 0 AS is_fraud, (i % 10) / 10.0 AS score, CAST((i % 10) / 10.0 >= 0.7 AS INTEGER) AS prediction FROM range(100) t(i)`,
    );
    expect(b.spec).toMatchObject({ positive: '1', score: 'score', threshold: 0.7 });
  });

  it('joins labels from a second table and explains a missing label column', async () => {
    const s = await setupOf(
      's6',
      `SELECT 'p' || i AS prediction_id, (i % 7) / 7.0 AS score FROM range(50) t(i)`,
      `SELECT 'p' || i AS prediction_id, i % 2 AS outcome FROM range(0, 60, 2) t(i)`,
    );
    expect(s.join).toMatchObject({ predictions: 50, matched: 25, unlabelled: 25, labelsWithoutPrediction: 5 });
    await expect(setupOf('s7', `SELECT i AS id, i / 3.0 AS score FROM range(10) t(i)`)).rejects.toThrow(/No label column/);
  });
});
