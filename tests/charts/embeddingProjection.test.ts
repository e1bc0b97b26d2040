import { describe, expect, it } from 'vitest';
import { embeddingProjectionChart, embeddingProjectionTable, projectedPoints } from '../../src/charts/embeddingProjection';
import type { EmbeddingProjection } from '../../src/lib/multivariate/embeddingDrift';
import { marks, render } from './render';

const projection: EmbeddingProjection = {
  explained: [0.6, 0.25],
  reference: { x: Float32Array.from([0, 1, -1]), y: Float32Array.from([0, 0.5, -0.5]) },
  current: { x: Float32Array.from([2, 3]), y: Float32Array.from([1, 1]) },
};

describe('embedding projection chart', () => {
  it("draws every point of both sides, the reference's first, coloured by side", () => {
    expect(projectedPoints(projection).map((p) => p.side)).toEqual(['reference', 'reference', 'reference', 'current', 'current']);
    const chart = render(embeddingProjectionChart('emb_*', projection, { totals: { reference: 30, current: 2 } }));
    const dots = marks(chart, 'dot')[0]!.querySelectorAll('circle');
    expect(dots).toHaveLength(5);
    expect(dots[0]!.getAttribute('fill')).not.toBe(dots[4]!.getAttribute('fill'));
    expect(chart.outerHTML).toContain(
      'aria-label="Embedding emb_*: reference and current vectors on the reference\'s first two principal components"',
    );
    const caption = chart.querySelector('figcaption')?.textContent ?? '';
    expect(caption).toContain('Drawn: evenly spaced rows of 30 and 2.');
    expect(caption).toContain('(60.0% and 25.0% of its variance)');
  });

  it("tells each side's centre and spread as text", () => {
    const t = embeddingProjectionTable(projection);
    expect(t.rows[0]!.slice(0, 3)).toEqual(['reference', '3', '0']);
    expect(t.rows[1]!.slice(0, 5)).toEqual(['current', '2', '2.5', '0.7071', '1']);
  });
});
