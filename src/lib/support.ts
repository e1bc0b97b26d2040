/**
 * The fewest rows a time window, a heatmap cell or a segment needs before it is ranked or sets a chart's
 * scale, when nothing more specific chose one (the investigation derives its own from the row count).
 * A window of two rows can swing any statistic; below this it is reported as too small instead.
 */
export const DEFAULT_MIN_SUPPORT = 100;
