/**
 * Free text is reported, not tested: comments, descriptions and reviews are strings, but a
 * chi-square over thousands of one-off sentences says nothing about drift. Evidently tests such columns
 * as categories unless told they are text; we tell them apart from the category counts the report
 * already has, so the check costs no query.
 */
import type { CategoryCounts } from './columnDrift';

/** Below this many reference values a column is too small to call. */
const MIN_VALUES = 50;
/** Most reference values occur once... */
const MIN_DISTINCT_SHARE = 0.5;
/** ...and are several words long on average (names and codes are one or two). */
const MIN_MEAN_WORDS = 3;

export function looksLikeFreeText({ keys, ref }: CategoryCounts): boolean {
  let n = 0;
  let distinct = 0;
  let words = 0;
  for (let i = 0; i < keys.length; i++) {
    const count = ref[i]!;
    if (count === 0) continue;
    n += count;
    distinct++;
    words += count * wordCount(keys[i]!);
  }
  return n >= MIN_VALUES && distinct / n >= MIN_DISTINCT_SHARE && words / n >= MIN_MEAN_WORDS;
}

function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = /\s/.test(text[i]!);
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

export const FREE_TEXT_REASON =
  'free text (mostly unique values of several words): reported, not tested; set a method to test it as categories';
