import { describe, expect, it } from 'vitest';
import { fairnessTradeoffChart, tradeoffRows } from '../../src/charts/fairnessTradeoff';
import { marks, render } from './render';

const sweep = [
  { threshold: 0.25, demographic_parity_difference: 0.5, equalized_odds_difference: 0.6, accuracy: 0.7 },
  { threshold: 0.5, demographic_parity_difference: 0.2, equalized_odds_difference: null, accuracy: 0.8 },
  { threshold: 0.75, demographic_parity_difference: 0.05, equalized_odds_difference: 0.1, accuracy: 0.75 },
];

describe('fairness trade-off chart', () => {
  it('draws one line per measure, skips undefined points, and marks the current threshold', () => {
    expect(tradeoffRows(sweep)).toHaveLength(8);
    const chart = render(fairnessTradeoffChart(sweep, { threshold: 0.5 }));
    expect(marks(chart, 'line')[0]!.querySelectorAll('path')).toHaveLength(3);
    const rule = marks(chart, 'rule')[0]!.querySelector('line')!;
    expect(rule.getAttribute('x1')).toBe(rule.getAttribute('x2'));
    expect(chart.outerHTML).toContain('aria-label="Fairness differences and accuracy by threshold"');
  });
});
