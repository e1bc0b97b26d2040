import { describe, expect, it } from 'vitest';
import { readRoute, sameRoute, writeRoute } from '../../src/lib/route';

describe('the route in the address fragment', () => {
  it('reads view, dataset and column, missing ones as null', () => {
    expect(readRoute('#view=drift&dataset=prod%20log.csv&column=a%26b')).toEqual({
      view: 'drift',
      dataset: 'prod log.csv',
      column: 'a&b',
      finding: null,
    });
    expect(readRoute('')).toEqual({ view: null, dataset: null, column: null, finding: null });
    expect(readRoute('#setup=abc')).toEqual({ view: null, dataset: null, column: null, finding: null });
  });

  it('writes a route and reads it back, with names that need escaping', () => {
    const route = { view: 'overview', dataset: 'ünïcode & = # ?.csv', column: null, finding: 'drift:a=b&c' };
    const hash = writeRoute('', route);
    expect(hash.startsWith('#view=overview&dataset=')).toBe(true);
    expect(readRoute(hash)).toEqual(route);
  });

  it("keeps a setup link's parameter and drops the parameters the route no longer has", () => {
    const hash = writeRoute('#setup=eyJ2IjoxfQ&view=drift&column=amount', { view: 'overview', dataset: null, column: null });
    expect(hash).toBe('#setup=eyJ2IjoxfQ&view=overview');
    expect(writeRoute('#view=drift', { view: null, dataset: null, column: null })).toBe('');
  });

  it('compares routes field by field', () => {
    expect(sameRoute({ view: 'a', dataset: null, column: null }, { view: 'a', dataset: null, column: null })).toBe(true);
    expect(sameRoute({ view: 'a', dataset: 'x', column: null }, { view: 'a', dataset: null, column: null })).toBe(false);
  });
});
