import { DEFAULT_MIN_SUPPORT } from '../lib/support';

/**
 * What every chart of the page shares: the minimum support, the fewest rows a window, cell or bin needs
 * to be coloured, ranked or part of a scale. It follows the investigation's minimum (so a chart greys what
 * the findings call too small) until the user sets one.
 */
export class ChartSettings {
  /** The user's minimum; null follows the investigation's, or the default before one ran. */
  chosenMinSupport: number | null = $state(null);

  constructor(private readonly investigated: () => number | null) {}

  get minSupport(): number {
    return this.chosenMinSupport ?? this.investigated() ?? DEFAULT_MIN_SUPPORT;
  }

  /** Sets the minimum (a positive whole number of rows); anything else goes back to following. */
  setMinSupport(rows: number | null): void {
    this.chosenMinSupport = rows !== null && Number.isFinite(rows) && rows >= 1 ? Math.round(rows) : null;
  }
}
