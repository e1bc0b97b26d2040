import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_SUPPORT } from '../../src/lib/support';
import { ChartSettings } from '../../src/state/chartSettings.svelte';

describe('ChartSettings', () => {
  it('follows the investigation until the user sets a minimum, and goes back to following when cleared', () => {
    let investigated: number | null = null;
    const charts = new ChartSettings(() => investigated);
    expect(charts.minSupport).toBe(DEFAULT_MIN_SUPPORT);
    investigated = 75;
    expect(charts.minSupport).toBe(75);
    charts.setMinSupport(6000);
    expect(charts.minSupport).toBe(6000);
    for (const bad of [0, -3, Number.NaN, Infinity, null]) {
      charts.setMinSupport(250);
      charts.setMinSupport(bad);
      expect(charts.minSupport).toBe(75);
    }
    charts.setMinSupport(12.6);
    expect(charts.minSupport).toBe(13);
  });
});
