import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeTexts, fitTfidf, transformTfidf, vocabularyOf, words, DESCRIPTOR_NAMES } from '../../src/lib/multivariate/text';
import { textDriftStats } from '../../src/lib/multivariate/textDrift';
import { rocAuc } from '../../src/lib/multivariate/auc';
import { closeTo } from '../helpers/close';

type Descriptor = Record<'length' | 'word_count' | 'oov_share' | 'non_letter_share', number | null>;
interface Case {
  name: string;
  reference: string[];
  current: string[];
  train: number[];
  test: number[];
  expected: {
    descriptors: { reference: Descriptor[]; current: Descriptor[] };
    drift: Record<string, { ks_p_value: number; wasserstein: number; n_ref: number; n_cur: number }>;
    terms: string[];
    idf: number[];
    indptr: number[];
    indices: number[];
    values: number[];
    auc: number;
    coef: number[];
    current_words: string[];
    reference_words: string[];
  };
}

// scikit-learn's CountVectorizer / TfidfVectorizer / LogisticRegression(C=1) and scipy (scripts/fixtures/multivariate.py).
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/text.json', import.meta.url), 'utf8')) as { cases: Case[] };
const KEYS = { length: 'length', word_count: 'wordCount', oov_share: 'oovShare', non_letter_share: 'nonLetterShare' } as const;

describe.each(fx.cases.map((c) => [c.name, c] as const))('text drift on %s against scikit-learn', (_name, c) => {
  const e = c.expected;

  it('describes every text as the definitions in Python do', () => {
    const vocabulary = vocabularyOf(c.reference);
    for (const side of ['reference', 'current'] as const) {
      const got = describeTexts(c[side], vocabulary, side);
      e.descriptors[side].forEach((want, i) => {
        for (const [key, field] of Object.entries(KEYS)) {
          const w = want[key as keyof Descriptor];
          const g = got[field][i]!;
          if (w === null) expect(g, `${side} ${i} ${key}`).toBeNaN();
          else expect(g, `${side} ${i} ${key} of ${JSON.stringify(c[side][i])}`).toBeCloseTo(w, 14);
        }
      });
    }
  });

  it('builds the TF-IDF matrix of TfidfVectorizer', () => {
    const texts = [...c.reference, ...c.current];
    const model = fitTfidf(c.train.map((i) => texts[i]!));
    expect(model.terms).toEqual(e.terms);
    model.idf.forEach((x, j) => closeTo(x, e.idf[j]!, 1e-12));
    const m = transformTfidf(model, texts);
    expect(Array.from(m.indptr)).toEqual(e.indptr);
    expect(Array.from(m.indices)).toEqual(e.indices);
    m.values.forEach((x, k) => closeTo(x, e.values[k]!, 1e-12));
  });

  it("tests the descriptors with scipy's numbers and trains LogisticRegression's classifier", () => {
    const r = textDriftStats(c.reference, c.current, { split: { train: Uint32Array.from(c.train), test: Uint32Array.from(c.test) } });
    expect(r.descriptors.map((d) => d.name)).toEqual([...DESCRIPTOR_NAMES]);
    for (const d of r.descriptors) {
      const want = e.drift[d.name]!;
      expect([d.drift.nRef, d.drift.nCur]).toEqual([want.n_ref, want.n_cur]);
      const stats = d.drift.stats as unknown as Record<string, number> | null;
      if (stats && 'ks_p_value' in stats) closeTo(stats['ks_p_value'], want.ks_p_value, 1e-6, 1e-300);
      if (stats && 'wasserstein' in stats) closeTo(stats['wasserstein'], want.wasserstein, 1e-9, 1e-15);
    }
    expect(r.classifier).not.toBeNull();
    closeTo(r.classifier!.auc, e.auc, 1e-9);
    // The listed words carry scikit-learn's coefficients and are its strongest (words with tied weights may
    // swap). Weights to 1e-5: both solvers stop where the summed loss no longer changes in double precision.
    const coef = new Map(e.terms.map((t, j) => [t, e.coef[j]!]));
    const strongest = [...e.coef].sort((a, b) => b - a);
    r.classifier!.currentWords.slice(0, 5).forEach((w, i) => {
      closeTo(w.weight, coef.get(w.word)!, 0, 1e-5);
      closeTo(w.weight, strongest[i]!, 0, 1e-5);
    });
    r.classifier!.referenceWords.slice(0, 5).forEach((w, i) => {
      closeTo(w.weight, coef.get(w.word)!, 0, 1e-5);
      closeTo(w.weight, strongest[strongest.length - 1 - i]!, 0, 1e-5);
    });
    if (c.name === 'identical texts') for (const d of r.descriptors) expect(d.drift.drifted, d.name).toBe(false);
    if (c.name === 'movie titles by era') expect(r.classifier!.currentWords.slice(0, 5).map((w) => w.word)).toEqual(e.current_words);
    // Evidently's rule for a small reference: beat the 95th percentile of a guessing classifier.
    expect(r.classifier!.thresholdRule).toBe('random-classifier');
    expect(r.classifier!.drifted).toBe(r.classifier!.auc > r.classifier!.threshold);
  });
});

describe('text edge cases', () => {
  it('judges a text without itself: a word only its own text uses is out of the vocabulary', () => {
    const reference = ['red apple', 'red pear', 'green apple', 'red apple'];
    const vocabulary = vocabularyOf(reference);
    // "pear" and "green" are used by one reference text each; "red" and "apple" by several.
    expect(Array.from(describeTexts(reference, vocabulary, 'reference').oovShare)).toEqual([0, 0.5, 0.5, 0]);
    // A copy of a reference text is that text (one copy each); other texts meet the whole vocabulary.
    const current = ['red pear', 'red pear', 'blue pear'];
    expect(Array.from(describeTexts(current, vocabulary, 'current').oovShare)).toEqual([0.5, 0, 0.5]);
  });

  it('finds no out-of-vocabulary drift when the current texts are the reference texts', () => {
    const reference = Array.from({ length: 80 }, (_, i) => `note ${i % 7 === 0 ? 'rare' + i : 'common'} words ${i % 3}`);
    const r = textDriftStats(reference, [...reference].reverse());
    const oov = r.descriptors.find((d) => d.name === 'oov_share')!.drift;
    expect(oov.drifted).toBe(false);
    expect(oov.score).toBe(1);
  });

  it("splits words as scikit-learn's default token pattern", () => {
    expect(words('Hello, World! a b_c 12 x')).toEqual(['hello', 'world', 'b_c', '12']);
  });

  it('explains why no classifier could be trained', () => {
    expect(textDriftStats(['only'], ['one', 'two']).classifierNote).toMatch(/at least two texts/);
    expect(textDriftStats(['!', '?'], ['.', ','])).toMatchObject({ classifier: null, classifierNote: expect.stringMatching(/no words/) });
  });

  it('computes ROC AUC with ties counted half, NaN with one class', () => {
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });
});
