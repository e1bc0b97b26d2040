/**
 * Text as numbers, the way scikit-learn reads it. Words are scikit-learn's default analyzer: the text
 * lowercased, then every run of two or more word characters (`(?u)\b\w\w+\b`, where Python's `\w` is a
 * letter, a digit or `_` in any script). TF-IDF follows TfidfVectorizer's defaults: raw counts, smooth idf
 * ln((1 + n) / (1 + df)) + 1, each row scaled to unit length, the vocabulary sorted by code point.
 * Descriptors (length, words, out-of-vocabulary share, non-letter share) turn a text column into numbers
 * that the ordinary drift tests can compare.
 */
import type { Csr } from './logistic';

/** Python's \w (str.isalnum() or '_'): Unicode letters and numbers. Runs of two or more are words. */
const WORD = /[\p{L}\p{N}_]{2,}/gu;
const LETTER = /\p{L}/u;
/** Python's str.isspace() (JavaScript's \s differs: it has U+FEFF, lacks \x1c-\x1f and \x85). */
// eslint-disable-next-line no-control-regex -- Python counts the separators \x1c-\x1f as white space.
const SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Compares by Unicode code point, as Python sorts strings (UTF-16 order differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export interface Descriptors {
  /** Characters (code points, as Python's len). */
  length: Float64Array;
  /** Words, as scikit-learn's analyzer splits them. */
  wordCount: Float64Array;
  /** Share of a text's words that no reference text other than itself uses; NaN for a text without words. */
  oovShare: Float64Array;
  /** Share of characters that are neither letters nor white space; NaN for an empty text. */
  nonLetterShare: Float64Array;
}

export const DESCRIPTOR_NAMES = ['length', 'word_count', 'oov_share', 'non_letter_share'] as const;
export type DescriptorName = (typeof DESCRIPTOR_NAMES)[number];

/**
 * The reference's words with the number of reference texts that use each (its document frequency), and
 * how many times each whole text occurs: what the out-of-vocabulary share needs to leave a text out of
 * the vocabulary it is judged against.
 */
export interface Vocabulary {
  documents: Map<string, number>;
  texts: Map<string, number>;
}

/** The reference's vocabulary (scikit-learn's CountVectorizer().fit(reference).vocabulary_, with counts). */
export function vocabularyOf(texts: readonly string[]): Vocabulary {
  const documents = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const t of texts) {
    for (const w of new Set(words(t))) documents.set(w, (documents.get(w) ?? 0) + 1);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return { documents, texts: counts };
}

/**
 * Descriptors of the reference (`side` 'reference') or of the current data judged against the reference's
 * vocabulary. The out-of-vocabulary share leaves the text itself out (decision 0970): a reference text's
 * word is unknown when no other reference text uses it; a current text that is a copy of a reference text
 * is judged as that reference text (one copy each, so a current side identical to the reference has the
 * reference's shares exactly), any other current text against the whole vocabulary. Judged in-sample,
 * the reference's own words would always be known and any current text would look drifted.
 */
export function describeTexts(texts: readonly string[], vocabulary: Vocabulary, side: 'reference' | 'current'): Descriptors {
  const n = texts.length;
  const out: Descriptors = {
    length: new Float64Array(n),
    wordCount: new Float64Array(n),
    oovShare: new Float64Array(n),
    nonLetterShare: new Float64Array(n),
  };
  // Reference copies not yet matched by a current text.
  const unmatched = side === 'current' ? new Map(vocabulary.texts) : null;
  texts.forEach((text, i) => {
    let length = 0;
    let other = 0;
    for (const ch of text) {
      length++;
      if (!LETTER.test(ch) && !SPACE.test(ch)) other++;
    }
    const ws = words(text);
    let self = side === 'reference' ? 1 : 0;
    const copies = unmatched?.get(text) ?? 0;
    if (unmatched && copies > 0) {
      unmatched.set(text, copies - 1);
      self = 1;
    }
    let unknown = 0;
    for (const w of ws) if ((vocabulary.documents.get(w) ?? 0) - self < 1) unknown++;
    out.length[i] = length;
    out.wordCount[i] = ws.length;
    out.oovShare[i] = ws.length ? unknown / ws.length : Number.NaN;
    out.nonLetterShare[i] = length ? other / length : Number.NaN;
  });
  return out;
}

export function descriptorValues(d: Descriptors, name: DescriptorName): Float64Array {
  return name === 'length' ? d.length : name === 'word_count' ? d.wordCount : name === 'oov_share' ? d.oovShare : d.nonLetterShare;
}

export interface Tfidf {
  /** Terms in column order (sorted by code point). */
  terms: string[];
  index: Map<string, number>;
  idf: Float64Array;
}

/** Fits the vocabulary and idf on `texts` (TfidfVectorizer().fit). */
export function fitTfidf(texts: readonly string[]): Tfidf {
  const df = new Map<string, number>();
  for (const t of texts) for (const w of new Set(words(t))) df.set(w, (df.get(w) ?? 0) + 1);
  const terms = [...df.keys()].sort(compareCodePoints);
  const n = texts.length;
  const idf = Float64Array.from(terms, (w) => Math.log((1 + n) / (1 + df.get(w)!)) + 1);
  return { terms, index: new Map(terms.map((w, i) => [w, i])), idf };
}

/** The TF-IDF rows of `texts` (TfidfVectorizer.transform): counts times idf, each row of unit length. */
export function transformTfidf(model: Tfidf, texts: readonly string[]): Csr {
  const indptr = new Uint32Array(texts.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  texts.forEach((t, i) => {
    const counts = new Map<number, number>();
    for (const w of words(t)) {
      const j = model.index.get(w);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const cols = [...counts.keys()].sort((a, b) => a - b);
    let norm = 0;
    for (const j of cols) norm += (counts.get(j)! * model.idf[j]!) ** 2;
    norm = Math.sqrt(norm);
    for (const j of cols) {
      indices.push(j);
      values.push(norm > 0 ? (counts.get(j)! * model.idf[j]!) / norm : 0);
    }
    indptr[i + 1] = indices.length;
  });
  return {
    rows: texts.length,
    features: model.terms.length,
    indptr,
    indices: Uint32Array.from(indices),
    values: Float64Array.from(values),
  };
}
