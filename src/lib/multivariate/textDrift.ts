/**
 * Drift of a text column: its descriptors (length, words, out-of-vocabulary share, non-letter share)
 * tested like numerical columns (Evidently's method table, scipy's numbers), and Evidently's text drift:
 * a domain classifier on TF-IDF features of a random half of the rows, scored on the other half, with the
 * words that tell the two sides apart. Pure: it runs wherever the texts are (a worker in the app).
 */
import { numericalDriftFromSorted, type ColumnDrift } from '../drift/columnDrift';
import { sortFinite } from '../drift/radixSort';
import { rocAuc } from './auc';
import { csrDesign, fitLogistic, predictLogit } from './logistic';
import { holdOutSplit } from './sampling';
import { DESCRIPTOR_NAMES, describeTexts, descriptorValues, fitTfidf, transformTfidf, vocabularyOf, type DescriptorName } from './text';
import { classifierVerdict, type ClassifierVerdict } from './verdict';

export interface WeightedWord {
  word: string;
  weight: number;
}

export interface TextClassifier extends ClassifierVerdict {
  /** Words whose weight pushes towards the current data, strongest first. */
  currentWords: WeightedWord[];
  referenceWords: WeightedWord[];
  vocabulary: number;
}

export interface TextDriftStats {
  referenceRows: number;
  currentRows: number;
  /** Each descriptor's drift, named by DESCRIPTOR_NAMES. */
  descriptors: { name: DescriptorName; drift: ColumnDrift }[];
  /** Null with a reason when no classifier could be trained (no words, one side empty). */
  classifier: TextClassifier | null;
  classifierNote: string | null;
}

export interface TextDriftOptions {
  seed?: number;
  /** Words listed per side. */
  words?: number;
  /** A fixed AUC threshold instead of Evidently's rule. */
  threshold?: number;
  /** The rows (of reference then current) to train and to score on; a seeded half each by default. */
  split?: { train: Uint32Array; test: Uint32Array };
  /** The solver stops when no gradient entry exceeds this. */
  tolerance?: number;
  onProgress?: (done: number, total: number) => void;
}

export const TEXT_SEED = 42;
export const LISTED_WORDS = 10;
/** Tight enough that the AUC is the optimum's, not the solver's (TF-IDF problems converge in milliseconds). */
export const CLASSIFIER_TOLERANCE = 1e-8;

/** The finite values, sorted ascending (a text without words has no out-of-vocabulary share). */
export function finiteSorted(values: Float64Array): Float64Array {
  return sortFinite(values.filter((v) => Number.isFinite(v)));
}

export function textDriftStats(reference: readonly string[], current: readonly string[], options: TextDriftOptions = {}): TextDriftStats {
  const seed = options.seed ?? TEXT_SEED;
  const progress = (done: number) => options.onProgress?.(done, 3);
  const vocabulary = vocabularyOf(reference);
  const ref = describeTexts(reference, vocabulary, 'reference');
  const cur = describeTexts(current, vocabulary, 'current');
  const descriptors = DESCRIPTOR_NAMES.map((name) => ({
    name,
    drift: numericalDriftFromSorted(name, finiteSorted(descriptorValues(ref, name)), finiteSorted(descriptorValues(cur, name))),
  }));
  progress(1);
  const base = { referenceRows: reference.length, currentRows: current.length, descriptors };
  if (reference.length < 2 || current.length < 2)
    return { ...base, classifier: null, classifierNote: 'Each side needs at least two texts to train a classifier.' };
  const texts = [...reference, ...current];
  const labels = new Uint8Array(texts.length);
  labels.fill(1, reference.length);
  const { train, test } = options.split ?? holdOutSplit(texts.length, 0.5, seed);
  const trainTexts = Array.from(train, (i) => texts[i]!);
  const model = fitTfidf(trainTexts);
  if (model.terms.length === 0)
    return { ...base, classifier: null, classifierNote: 'The texts have no words of two or more letters or digits to learn from.' };
  const matrix = transformTfidf(model, texts);
  const design = csrDesign(matrix);
  const fit = fitLogistic(design, labels, train, { tolerance: options.tolerance ?? CLASSIFIER_TOLERANCE, maxIterations: 1000 });
  progress(2);
  const scores = predictLogit(design, fit, test);
  const testLabels = Uint8Array.from(test, (i) => labels[i]!);
  const verdict = classifierVerdict(rocAuc(scores, testLabels), testLabels, reference.length, train.length, {
    seed,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
  });
  const listed = options.words ?? LISTED_WORDS;
  const ranked = model.terms.map((word, j) => ({ word, weight: fit.weights[j]! })).filter((w) => w.weight !== 0);
  const currentWords = ranked
    .filter((w) => w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word, 'en-US'))
    .slice(0, listed);
  const referenceWords = ranked
    .filter((w) => w.weight < 0)
    .sort((a, b) => a.weight - b.weight || a.word.localeCompare(b.word, 'en-US'))
    .slice(0, listed);
  progress(3);
  return { ...base, classifier: { ...verdict, currentWords, referenceWords, vocabulary: model.terms.length }, classifierNote: null };
}
