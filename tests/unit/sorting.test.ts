import { describe, expect, it } from 'vitest';
import { ariaSort, nextSort, sortRows } from '../../src/components/tables/sorting';

describe('table sorting', () => {
  const rows = [
    { n: 'a', v: 2 },
    { n: 'b', v: null },
    { n: 'c', v: 10 },
    { n: 'd', v: Number.NaN },
    { n: 'e', v: -1 },
  ];
  const by = (r: (typeof rows)[number], key: string) => (key === 'v' ? r.v : r.n);

  it('sorts by a column either way, undefined values last in both directions', () => {
    expect(sortRows(rows, { key: 'v', direction: 'descending' }, by).map((r) => r.n)).toEqual(['c', 'a', 'e', 'b', 'd']);
    expect(sortRows(rows, { key: 'v', direction: 'ascending' }, by).map((r) => r.n)).toEqual(['e', 'a', 'c', 'b', 'd']);
    expect(sortRows(rows, { key: 'n', direction: 'ascending' }, by).map((r) => r.n)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sortRows(rows, null, by)).toEqual(rows);
  });

  it('a header press sorts a new column first one way, then flips; aria-sort follows', () => {
    const s1 = nextSort(null, 'v');
    expect(s1).toEqual({ key: 'v', direction: 'descending' });
    expect(nextSort(s1, 'v')).toEqual({ key: 'v', direction: 'ascending' });
    expect(nextSort(s1, 'n', 'ascending')).toEqual({ key: 'n', direction: 'ascending' });
    expect(ariaSort(s1, 'v')).toBe('descending');
    expect(ariaSort(s1, 'n')).toBe('none');
  });
});
