/** Colours with a meaning shared by every chart, so grey means the same thing everywhere. */
export const REFERENCE_COLOR = '#8a94a3';
export const CURRENT_COLOR = '#b7791f';
export const SIDE_COLORS = { domain: ['reference', 'current'], range: [REFERENCE_COLOR, CURRENT_COLOR] };

/** Windows, cells and bins with too few rows: drawn, never coloured by value, never part of a scale. */
export const TOO_SMALL_FILL = '#d0d5dd';
export const TOO_SMALL_BAND = '#f2f4f7';
export const DRIFT_COLOR = '#b42318';
export const OK_COLOR = '#067647';
export const LINE_COLOR = '#8a94a3';
export const GUIDE_COLOR = '#98a2b3';
