/**
 * The `keep` items that come first by `before`, in their original order: how a wide table is narrowed to
 * the columns worth reading (inputs that moved most, segments before numbers, likely scores) while the
 * columns still read in file order. Ties keep the earlier item.
 */
export function keepFirst<T>(items: readonly T[], keep: number, before: (a: T, b: T) => number): T[] {
  if (items.length <= keep) return [...items];
  const kept = new Set(
    items
      .map((item, i) => ({ item, i }))
      .sort((a, b) => before(a.item, b.item) || a.i - b.i)
      .slice(0, keep)
      .map(({ i }) => i),
  );
  return items.filter((_, i) => kept.has(i));
}
